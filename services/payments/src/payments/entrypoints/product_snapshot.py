"""`snapshot.product`: every product as its `product.updated`, stamped with its last change.

Search rebuilds its directory prices from it (decision 0006); inactive products are
included so that a withdrawn price is withdrawn in the rebuilt directory too.
"""

from uuid import UUID

from payments.adapters.product_snapshot import products_after
from payments.service_layer.product_events import product_updated
from shared.db import DbConnection
from shared.messaging import MessageBus
from shared.messaging.snapshots import Fact, SnapshotEntry, serve_snapshot

PRODUCT_SNAPSHOT = "product"


async def read_page(
    connection: DbConnection, *, after: str | None, limit: int
) -> list[SnapshotEntry]:
    rows = await products_after(connection, after=UUID(after) if after else None, limit=limit)
    entries = []
    for row in rows:
        amount, currency = row.mentor_lowest_price_amount, row.mentor_lowest_price_currency
        event = product_updated(
            dict(row._mapping), mentor_lowest=(amount, currency) if amount is not None else None
        )
        entries.append(
            SnapshotEntry(position=str(row.product_id), facts=[Fact(event, row.updated_at)])
        )
    return entries


def register(bus: MessageBus) -> None:
    serve_snapshot(bus, aggregate=PRODUCT_SNAPSHOT, read_page=read_page)
