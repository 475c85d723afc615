"""Keeps the kernel's tables bounded: published outbox rows and old inbox claims go."""

from datetime import timedelta

from sqlalchemy import delete, func

from shared.db import ConnectionFactory
from shared.messaging.stream import RETENTION_SECONDS
from shared.messaging.tables import inbox, outbox

OUTBOX_KEEP = timedelta(days=3)
# An event cannot be redelivered once the stream has dropped it; twice its retention is safe.
INBOX_KEEP = timedelta(seconds=2 * RETENTION_SECONDS)


async def prune_messaging_tables(connection_factory: ConnectionFactory) -> int:
    """Delete outbox rows published long ago and inbox claims older than any redelivery."""
    async with connection_factory() as connection:
        published = await connection.execute(
            delete(outbox).where(outbox.c.published_at < func.now() - OUTBOX_KEEP)
        )
        claimed = await connection.execute(
            delete(inbox).where(inbox.c.processed_at < func.now() - INBOX_KEEP)
        )
        await connection.commit()
    return published.rowcount + claimed.rowcount
