"""Provider events, stored once with their raw body, then claimed one at a time to process."""

from datetime import datetime

from sqlalchemy import case, select, update
from sqlalchemy.dialects.postgresql import insert

from payments.adapters.tables import webhook_events
from shared.db import AnyRow, DbConnection


async def store(
    session: DbConnection,
    *,
    provider: str,
    event_id: str,
    event_type: str,
    body: bytes,
    now: datetime,
) -> bool:
    """False for an event id already stored (a provider retry or a duplicate)."""
    result = await session.execute(
        insert(webhook_events)
        .values(
            provider=provider, event_id=event_id, event_type=event_type, body=body, received_at=now
        )
        .on_conflict_do_nothing(index_elements=["provider", "event_id"])
        .returning(webhook_events.c.event_id)
    )
    return result.first() is not None


async def claim(session: DbConnection, *, provider: str, event_id: str) -> AnyRow | None:
    """The event if it is still unprocessed and no one else is processing it."""
    query = (
        select(webhook_events)
        .where(
            webhook_events.c.provider == provider,
            webhook_events.c.event_id == event_id,
            webhook_events.c.processed_at.is_(None),
        )
        .with_for_update(skip_locked=True)
    )
    return (await session.execute(query)).first()


async def mark_processed(
    session: DbConnection,
    *,
    provider: str,
    event_id: str,
    outcome: str,
    now: datetime,
    dead_reason: str | None = None,
) -> None:
    """Done with the event; `dead_reason` says why one could never be applied."""
    await session.execute(
        update(webhook_events)
        .where(webhook_events.c.provider == provider, webhook_events.c.event_id == event_id)
        .values(
            processed_at=now,
            outcome=outcome[:200],
            dead_reason=dead_reason[:500] if dead_reason is not None else None,
        )
    )


async def dead(session: DbConnection, *, limit: int, offset: int) -> list[AnyRow]:
    """Events ended as dead letters, newest first (no body: operators read the reason)."""
    query = (
        select(
            webhook_events.c.provider,
            webhook_events.c.event_id,
            webhook_events.c.event_type,
            webhook_events.c.received_at,
            webhook_events.c.processed_at,
            webhook_events.c.dead_reason,
        )
        .where(webhook_events.c.dead_reason.is_not(None))
        .order_by(webhook_events.c.received_at.desc(), webhook_events.c.event_id)
        .limit(limit)
        .offset(offset)
    )
    return list(await session.execute(query))


async def unprocessed(session: DbConnection, *, limit: int) -> list[tuple[str, str]]:
    query = (
        select(webhook_events.c.provider, webhook_events.c.event_id)
        .where(webhook_events.c.processed_at.is_(None))
        .order_by(webhook_events.c.received_at)
        .limit(limit)
    )
    return [(row.provider, row.event_id) for row in await session.execute(query)]


async def record_failure(
    session: DbConnection,
    *,
    provider: str,
    event_id: str,
    error: str,
    now: datetime,
    max_attempts: int,
) -> bool:
    """Count a failed attempt; True if it was the last one and the event is now dead."""
    attempts = webhook_events.c.attempts + 1
    last = attempts >= max_attempts
    reason = f"failed {max_attempts} times: {error}"[:500]
    result = await session.execute(
        update(webhook_events)
        .where(
            webhook_events.c.provider == provider,
            webhook_events.c.event_id == event_id,
            webhook_events.c.processed_at.is_(None),
        )
        .values(
            attempts=attempts,
            processed_at=case((last, now), else_=None),
            dead_reason=case((last, reason), else_=None),
            outcome=case((last, f"dead: {reason}"[:200]), else_=None),
        )
        .returning(webhook_events.c.dead_reason)
    )
    row = result.first()
    return row is not None and row.dead_reason is not None
