"""Idempotent inbox: a consumer claims (consumer, event id) in the transaction of its effects."""

from uuid import UUID

from sqlalchemy import bindparam
from sqlalchemy.dialects.postgresql import insert

from shared.db import DbConnection
from shared.messaging.tables import inbox

_CLAIM = (
    insert(inbox)
    .values(consumer=bindparam("consumer"), event_id=bindparam("event_id"))
    .on_conflict_do_nothing()
    .returning(inbox.c.event_id)
)


async def claim(connection: DbConnection, *, consumer: str, event_id: UUID) -> bool:
    """True if this consumer sees the event for the first time.

    A concurrent duplicate blocks on the primary key until the first transaction ends, then
    finds the row and returns False, so two deliveries never both apply their effects.
    """
    result = await connection.execute(_CLAIM, {"consumer": consumer, "event_id": event_id})
    return result.first() is not None
