"""Keyset pages of every product, for `snapshot.product`."""

from typing import Any
from uuid import UUID

from sqlalchemy import Row, select

from payments.adapters.tables import products
from shared.db import DbConnection

_cheapest = products.alias("cheapest")


def _lowest(column: str) -> Any:
    """The mentor's cheapest active product's `column`, as `product.updated` carries it."""
    return (
        select(_cheapest.c[column])
        .where(_cheapest.c.mentor_id == products.c.mentor_id, _cheapest.c.active.is_(True))
        .order_by(_cheapest.c.price_amount, _cheapest.c.created_at)
        .limit(1)
        .scalar_subquery()
    )


async def products_after(
    connection: DbConnection, *, after: UUID | None, limit: int
) -> list[Row[Any]]:
    """Up to `limit` products with an id above `after`, in id order, active or not."""
    query = (
        select(
            products,
            _lowest("price_amount").label("mentor_lowest_price_amount"),
            _lowest("currency").label("mentor_lowest_price_currency"),
        )
        .order_by(products.c.product_id)
        .limit(limit)
    )
    if after is not None:
        query = query.where(products.c.product_id > after)
    return list(await connection.execute(query))
