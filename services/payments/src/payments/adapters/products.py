"""Products in Postgres."""

from typing import Any
from uuid import UUID

from sqlalchemy import insert, select, update

from payments.adapters.tables import products
from shared.db import AnyRow, DbConnection


async def insert_product(session: DbConnection, **values: Any) -> None:
    await session.execute(insert(products).values(**values))


async def get_row(session: DbConnection, product_id: UUID, *, lock: bool = False) -> AnyRow | None:
    query = select(products).where(products.c.product_id == product_id)
    if lock:
        query = query.with_for_update()
    return (await session.execute(query)).first()


async def change(session: DbConnection, product_id: UUID, *, changes: dict[str, Any]) -> None:
    await session.execute(
        update(products).where(products.c.product_id == product_id).values(**changes)
    )


async def lowest_active_price(session: DbConnection, mentor_id: str) -> AnyRow | None:
    """The mentor's cheapest product on sale (amount, currency), if any."""
    query = (
        select(products.c.price_amount, products.c.currency)
        .where(products.c.mentor_id == mentor_id, products.c.active.is_(True))
        .order_by(products.c.price_amount, products.c.created_at)
        .limit(1)
    )
    return (await session.execute(query)).first()


async def page(
    session: DbConnection, *, mentor_id: str | None, active: bool, limit: int, offset: int
) -> list[AnyRow]:
    query = select(products).where(products.c.active.is_(active))
    if mentor_id is not None:
        query = query.where(products.c.mentor_id == mentor_id)
    query = query.order_by(products.c.created_at.desc(), products.c.product_id)
    return list(await session.execute(query.limit(limit).offset(offset)))
