"""Transactional outbox: record events with the change; a relay publishes them after commit."""

import asyncio
import json
from collections.abc import Sequence
from datetime import timedelta
from uuid import UUID

from faststream.nats import NatsBroker
from sqlalchemy import func, insert, select, update

from shared.clock import Clock, SystemClock
from shared.db import ConnectionFactory, DbConnection
from shared.logging import get_logger
from shared.messaging import context, observe
from shared.messaging.events import Envelope, Event
from shared.messaging.stream import subject_for
from shared.messaging.tables import outbox
from shared.uow import OutboxRow

log = get_logger(__name__)


class Outbox:
    """Wraps the events a unit of work records and writes them in its transaction.

    Nothing leaves the process before commit: the relay publishes the rows afterwards.
    """

    def __init__(self, *, producer: str, clock: Clock | None = None) -> None:
        self.producer = producer
        self.clock = clock or SystemClock()

    def wrap(self, event: Event) -> Envelope:
        return Envelope.wrap(
            event,
            producer=self.producer,
            occurred_at=self.clock.now(),
            correlation_id=context.correlation_id.get(),
            causation_id=context.causation_id.get(),
        )

    async def write(
        self, connection: DbConnection, envelopes: Sequence[Envelope]
    ) -> list[OutboxRow]:
        rows = [
            {"id": e.id, "subject": e.type, "envelope": e.model_dump(mode="json")}
            for e in envelopes
        ]
        await connection.execute(insert(outbox), rows)
        return rows


class Relay:
    """Publishes committed outbox rows to JetStream with `Nats-Msg-Id` = event id.

    `after_commit` publishes at once; `sweep` publishes whatever was left (a crash between
    commit and publish, or NATS down) and is safe to run on several replicas (SKIP LOCKED).
    A row published twice is dropped by the stream's dedupe window and, past it, by inboxes.
    """

    def __init__(
        self,
        *,
        broker: NatsBroker,
        connection_factory: ConnectionFactory,
        namespace: str,
        stream: str,
        publish_timeout: float = 2.0,
    ) -> None:
        self._broker = broker
        self._connection_factory = connection_factory
        self._namespace = namespace
        self._stream = stream
        self._publish_timeout = publish_timeout
        self._in_flight: set[asyncio.Task[None]] = set()
        self._published: list[UUID] = []
        self._flusher: asyncio.Task[None] | None = None
        self._flush_delay = 0.2

    def after_commit(self, rows: Sequence[OutboxRow]) -> None:
        task = asyncio.create_task(self._publish_now(rows))
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)

    async def drain(self) -> None:
        """Wait for publishes under way and record them as published (on shutdown)."""
        if self._in_flight:
            await asyncio.gather(*self._in_flight, return_exceptions=True)
        await self.flush_published()

    async def _publish_now(self, rows: Sequence[OutboxRow]) -> None:
        try:
            await self._publish(rows)
        except Exception as exc:  # the sweeper will publish what is left
            log.warning("outbox.publish_deferred", error=repr(exc), count=len(rows))
            return
        # Marking rows published is batched off the hot path: until it happens the sweeper
        # leaves them alone for `grace`, and a late re-publish is dropped by the stream's dedupe.
        self._published.extend(row["id"] for row in rows)
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush_soon())

    async def _flush_soon(self) -> None:
        await asyncio.sleep(self._flush_delay)
        try:
            await self.flush_published()
        except Exception as exc:
            log.warning("outbox.mark_published_failed", error=repr(exc))

    async def flush_published(self) -> None:
        ids, self._published = self._published, []
        if ids:
            async with self._connection_factory() as session:
                await _mark_published(session, ids)
                await session.commit()

    async def _publish(self, rows: Sequence[OutboxRow]) -> None:
        # The broker's own connection, straight to JetStream: a relay needs no FastStream
        # publisher pipeline (measured in bench/event_hop.py). The rows go out in order on
        # the one connection; their acknowledgements are awaited together, not one by one.
        jetstream = self._broker.connection.jetstream()
        publishes = [
            jetstream.publish(
                subject_for(self._namespace, row["subject"]),
                json.dumps(row["envelope"]).encode(),
                stream=self._stream,
                headers={"Nats-Msg-Id": str(row["id"])},
                timeout=self._publish_timeout,
            )
            for row in rows
        ]
        if len(publishes) == 1:
            await publishes[0]  # no task to schedule for the common case
        else:
            await asyncio.gather(*publishes)
        for row in rows:
            observe.event_published(
                subject=row["subject"],
                event_id=str(row["id"]),
                correlation_id=str(row["envelope"].get("correlation_id", "")),
            )

    async def sweep(self, *, grace: timedelta = timedelta(seconds=2), limit: int = 500) -> int:
        """Publish rows left unpublished for longer than `grace`; returns how many."""
        async with self._connection_factory() as session:
            result = await session.execute(
                select(outbox.c.id, outbox.c.subject, outbox.c.envelope)
                .where(outbox.c.published_at.is_(None), outbox.c.created_at < func.now() - grace)
                .order_by(outbox.c.created_at)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
            rows = [dict(row._mapping) for row in result]
            if not rows:
                return 0
            await self._publish(rows)
            await _mark_published(session, [row["id"] for row in rows])
            await session.commit()
            return len(rows)

    async def run_sweeper(self, *, every_seconds: float) -> None:
        """Sweep forever; errors are logged and the loop goes on."""
        while True:
            await asyncio.sleep(every_seconds)
            try:
                while await self.sweep() > 0:
                    pass
            except Exception as exc:
                log.warning("outbox.sweep_failed", error=repr(exc))


async def _mark_published(session: DbConnection, ids: list[UUID]) -> None:
    await session.execute(
        update(outbox).where(outbox.c.id.in_(ids)).values(published_at=func.now())
    )
