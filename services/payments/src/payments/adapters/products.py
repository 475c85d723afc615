"""Products in Postgres."""

from dataclasses import asdict
from typing import Any
from uuid import UUID

from sqlalchemy import insert, select, update

from payments.adapters.tables import products
from payments.domain.product import Product
from shared.db import AnyRow, DbConnection


async def page(
    connection: DbConnection, *, mentor_id: str | None, active: bool, limit: int, offset: int
) -> list[AnyRow]:
    query = select(products).where(products.c.active.is_(active))
    if mentor_id is not None:
        query = query.where(products.c.mentor_id == mentor_id)
    query = query.order_by(products.c.created_at.desc(), products.c.product_id)
    return list(await connection.execute(query.limit(limit).offset(offset)))


class SqlProducts:
    """Products in SQL on one unit of work's connection (`ProductRepository`)."""

    def __init__(self, connection: DbConnection) -> None:
        self._connection = connection

    async def add(self, product: Product) -> None:
        await self._connection.execute(insert(products).values(**asdict(product)))

    async def get(self, product_id: UUID, *, lock: bool = False) -> Product | None:
        query = select(products).where(products.c.product_id == product_id)
        if lock:
            query = query.with_for_update()
        row = (await self._connection.execute(query)).first()
        return None if row is None else Product(**row._mapping)

    async def change(self, product_id: UUID, *, changes: dict[str, Any]) -> None:
        await self._connection.execute(
            update(products).where(products.c.product_id == product_id).values(**changes)
        )

    async def lowest_active_price(self, mentor_id: str) -> tuple[int, str] | None:
        """The mentor's cheapest product on sale (amount, currency), if any."""
        query = (
            select(products.c.price_amount, products.c.currency)
            .where(products.c.mentor_id == mentor_id, products.c.active.is_(True))
            .order_by(products.c.price_amount, products.c.created_at)
            .limit(1)
        )
        row = (await self._connection.execute(query)).first()
        return None if row is None else (row.price_amount, row.currency)
