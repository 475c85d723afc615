"""Idempotent inbox: a consumer claims (consumer, event id) in the transaction of its effects."""

from uuid import UUID

from sqlalchemy.dialects.postgresql import insert

from shared.db import DbSession
from shared.messaging.tables import inbox


async def claim(session: DbSession, *, consumer: str, event_id: UUID) -> bool:
    """True if this consumer sees the event for the first time.

    A concurrent duplicate blocks on the primary key until the first transaction ends, then
    finds the row and returns False, so two deliveries never both apply their effects.
    """
    result = await session.execute(
        insert(inbox)
        .values(consumer=consumer, event_id=event_id)
        .on_conflict_do_nothing()
        .returning(inbox.c.event_id)
    )
    return result.first() is not None
