"""Keyset pages of every product, for `snapshot.product`."""

from uuid import UUID

from sqlalchemy import select

from payments.adapters.tables import products
from shared.db import AnyRow, DbConnection


async def products_after(
    connection: DbConnection, *, after: UUID | None, limit: int
) -> list[AnyRow]:
    """Up to `limit` products with an id above `after`, in id order, active or not."""
    query = select(products).order_by(products.c.product_id).limit(limit)
    if after is not None:
        query = query.where(products.c.product_id > after)
    return list(await connection.execute(query))
