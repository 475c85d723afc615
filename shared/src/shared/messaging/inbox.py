"""Idempotent inbox: a consumer claims (consumer, event id) in the transaction of its effects."""

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import ARRAY, bindparam, func, select
from sqlalchemy import Uuid as UuidType
from sqlalchemy.dialects.postgresql import insert

from shared.db import DbConnection
from shared.messaging.tables import inbox

_CLAIM = (
    insert(inbox)
    .values(consumer=bindparam("consumer"), event_id=bindparam("event_id"))
    .on_conflict_do_nothing()
    .returning(inbox.c.event_id)
)

# One statement for any number of events (an array parameter), built once.
_CLAIM_EACH = (
    insert(inbox)
    .from_select(
        ["consumer", "event_id"],
        select(
            bindparam("consumer", type_=inbox.c.consumer.type),
            func.unnest(bindparam("event_ids", type_=ARRAY(UuidType()))),
        ),
    )
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


async def claim_each(
    connection: DbConnection, *, consumer: str, event_ids: Sequence[UUID]
) -> set[UUID]:
    """The ids among `event_ids` this consumer sees for the first time, in one statement.

    Same guarantee as `claim` for each id; an id given twice is claimed once. The ids are
    inserted in sorted order, so two batches sharing ids wait on each other, never deadlock.
    """
    ids = sorted(set(event_ids))
    result = await connection.execute(_CLAIM_EACH, {"consumer": consumer, "event_ids": ids})
    return set(result.scalars())
