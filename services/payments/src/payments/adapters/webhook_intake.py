"""Verified provider events stored as they arrive, batched across the requests in flight.

A webhook request's `store` joins the batch that is waiting: while one batch's statement runs,
the calls that arrive meanwhile wait and go together in the next (no timer, so one caller
alone waits for nothing). A batch is one autocommit statement built once (a many-row INSERT
is atomic on its own) on its own pooled connection. A caller resumes only once its batch
committed, so a webhook is answered only after its event is stored, as with a unit of work
per request, for one round trip per batch instead of three (BEGIN, INSERT, COMMIT) per
request. Decision 0037.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text

from shared.coalescing import Coalesced
from shared.db import ConnectionFactory

MAX_BATCH = 64  # callers a statement answers (bodies are signed Stripe events, a few kB)

# One row per event, in one statement; a key already stored is left as it is.
STORE = text(
    "INSERT INTO webhook_events (provider, event_id, event_type, body, received_at)"
    " SELECT * FROM unnest(CAST(:providers AS text[]), CAST(:event_ids AS text[]),"
    " CAST(:event_types AS text[]), CAST(:bodies AS bytea[]),"
    " CAST(:received_at AS timestamptz[]))"
    " ON CONFLICT (provider, event_id) DO NOTHING"
    " RETURNING provider, event_id"
)


@dataclass(frozen=True)
class ArrivedEvent:
    """A verified event as its request hands it over."""

    provider: str
    event_id: str
    event_type: str
    body: bytes
    received_at: datetime


class BatchedWebhookIntake:
    """`WebhookIntake` for the webhook routes: one statement per batch of arrivals."""

    def __init__(self, connection_factory: ConnectionFactory) -> None:
        self._connection_factory = connection_factory
        self._store = Coalesced(self._write, max_batch=MAX_BATCH)

    async def store(
        self, *, provider: str, event_id: str, event_type: str, body: bytes, now: datetime
    ) -> bool:
        """False for an event id already stored (a provider retry or a duplicate)."""
        return await self._store(ArrivedEvent(provider, event_id, event_type, body, now))

    async def _write(self, batch: list[ArrivedEvent]) -> list[bool]:
        # A key twice in one batch: the first is the arrival, the others its duplicates.
        first: dict[tuple[str, str], int] = {}
        for index, event in enumerate(batch):
            first.setdefault((event.provider, event.event_id), index)
        rows = [batch[index] for index in first.values()]
        async with self._connection_factory() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            result = await connection.execute(
                STORE,
                {
                    "providers": [row.provider for row in rows],
                    "event_ids": [row.event_id for row in rows],
                    "event_types": [row.event_type for row in rows],
                    "bodies": [row.body for row in rows],
                    "received_at": [row.received_at for row in rows],
                },
            )
            stored = {(row.provider, row.event_id) for row in result}
        return [
            first[event.provider, event.event_id] == index
            and (event.provider, event.event_id) in stored
            for index, event in enumerate(batch)
        ]
