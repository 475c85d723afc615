"""Provider events stored with their raw body (`webhook_intake`), claimed and marked processed
a batch at a time."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import case, select, text, update

from payments.adapters.repositories import ProcessedEvent, StoredEvent
from payments.adapters.tables import webhook_events
from shared.db import AnyRow, DbConnection

# Built once: the statements of every batch, whatever its size (arrays bound as values).
CLAIM = text(
    "SELECT provider, event_id, body FROM webhook_events"
    " WHERE (provider, event_id) IN"
    " (SELECT * FROM unnest(CAST(:providers AS text[]), CAST(:event_ids AS text[])))"
    " AND processed_at IS NULL"
    " ORDER BY received_at, event_id"
    " FOR UPDATE SKIP LOCKED"
)
MARK_PROCESSED = text(
    "UPDATE webhook_events SET processed_at = :now, outcome = done.outcome,"
    " dead_reason = done.dead_reason"
    " FROM unnest(CAST(:providers AS text[]), CAST(:event_ids AS text[]),"
    " CAST(:outcomes AS text[]), CAST(:dead_reasons AS text[]))"
    " AS done(provider, event_id, outcome, dead_reason)"
    " WHERE webhook_events.provider = done.provider"
    " AND webhook_events.event_id = done.event_id"
)


async def dead(connection: DbConnection, *, limit: int, offset: int) -> list[AnyRow]:
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
    return list(await connection.execute(query))


class SqlWebhookEvents:
    """Stored provider events in SQL (`WebhookEventRepository`)."""

    def __init__(self, connection: DbConnection) -> None:
        self._connection = connection

    async def claim(self, keys: Sequence[tuple[str, str]]) -> list[StoredEvent]:
        """Those of the events still unprocessed that no one else is processing, locked, in
        the order they were received (one statement for a whole batch)."""
        result = await self._connection.execute(
            CLAIM,
            {
                "providers": [provider for provider, _ in keys],
                "event_ids": [event_id for _, event_id in keys],
            },
        )
        return [StoredEvent(row.provider, row.event_id, bytes(row.body)) for row in result]

    async def mark_processed(self, events: Sequence[ProcessedEvent], *, now: datetime) -> None:
        """Done with these events; a `dead_reason` says why one could never be applied."""
        if not events:
            return
        await self._connection.execute(
            MARK_PROCESSED,
            {
                "now": now,
                "providers": [event.provider for event in events],
                "event_ids": [event.event_id for event in events],
                "outcomes": [event.outcome[:200] for event in events],
                "dead_reasons": [
                    None if event.dead_reason is None else event.dead_reason[:500]
                    for event in events
                ],
            },
        )

    async def unprocessed(self, *, limit: int) -> list[tuple[str, str]]:
        query = (
            select(webhook_events.c.provider, webhook_events.c.event_id)
            .where(webhook_events.c.processed_at.is_(None))
            .order_by(webhook_events.c.received_at)
            .limit(limit)
        )
        return [(row.provider, row.event_id) for row in await self._connection.execute(query)]

    async def record_failure(
        self,
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
        result = await self._connection.execute(
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
