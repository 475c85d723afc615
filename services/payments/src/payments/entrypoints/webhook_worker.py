"""Processes stored provider events soon after they are answered; a due job sweeps the rest.

A few workers drain one queue, each taking whatever is queued (up to a batch) and applying it
in one unit of work: one statement claims the batch, its events are applied in the order they
were received, one statement marks them processed, one commit. A batch that fails rolls back
and its events are applied one at a time, each in its own unit of work, so one event that
fails retries (and ends as a dead letter) alone. Processing never takes the database pool
away from the webhook requests themselves. Anything still queued at shutdown stays stored,
unprocessed, for the sweep.
"""

import asyncio
import contextlib
from collections.abc import Mapping, Sequence

from payments.adapters.unit_of_work import SqlPaymentsUnitOfWork
from payments.adapters.webhook_events import SqlWebhookEvents
from payments.domain.model import Provider
from payments.domain.outcomes import OrderOutcome
from payments.metrics import DEAD_WEBHOOK_EVENTS
from payments.service_layer.dependencies import Dependencies
from payments.service_layer.webhooks import process_events
from shared.logging import get_logger

log = get_logger(__name__)

MAX_ATTEMPTS = 10  # failed applications of one event before it is dead-lettered

Key = tuple[Provider, str]


class WebhookWorker:
    def __init__(self, *, deps: Dependencies, batch_size: int, concurrency: int = 2) -> None:
        self._deps = deps
        self._batch_size = batch_size
        self._concurrency = concurrency
        self._workers: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        """Start the workers on `deps.webhooks` (the app's `on_start`)."""
        if self._deps.webhooks.enabled and not self._workers:
            self._workers = [asyncio.create_task(self._work()) for _ in range(self._concurrency)]

    async def _work(self) -> None:
        queue = self._deps.webhooks
        while True:
            batch = await queue.next_batch(self._batch_size)
            try:
                await self.process_batch(batch)
            finally:
                queue.done(len(batch))

    async def process_batch(self, keys: Sequence[Key]) -> int:
        """Apply the events in one unit of work, or one at a time if that fails; how many
        were applied."""
        if len(keys) > 1:
            try:
                return len(await self._apply(keys))
            except Exception as exc:
                log.info("webhook.batch_split", size=len(keys), error=repr(exc))
        handled = 0
        for provider, event_id in keys:
            if await self.process(provider=provider, event_id=event_id) is not None:
                handled += 1
        return handled

    async def process(self, *, provider: Provider, event_id: str) -> OrderOutcome | None:
        """Apply one event in its own unit of work; a failure is counted against it."""
        try:
            outcomes = await self._apply([(provider, event_id)])
        except Exception as exc:  # stays unprocessed; the due job tries again, a few times
            log.exception("webhook.process_failed", event_id=event_id, error=repr(exc))
            await self._count_failure(provider=provider, event_id=event_id, error=repr(exc))
            return None
        return outcomes.get((provider, event_id))

    async def _apply(self, keys: Sequence[Key]) -> Mapping[Key, OrderOutcome]:
        async with self._deps.uow() as uow:
            outcomes = await process_events(keys, uow=SqlPaymentsUnitOfWork(uow), deps=self._deps)
            await uow.commit()
        for (provider, _), outcome in outcomes.items():
            if outcome is OrderOutcome.dead:
                DEAD_WEBHOOK_EVENTS.labels(provider=provider).inc()
        return outcomes

    async def _count_failure(self, *, provider: Provider, event_id: str, error: str) -> None:
        """After MAX_ATTEMPTS failures the event ends as a dead letter, so that a few events
        that always fail cannot hold the sweep's batch forever."""
        try:
            async with self._deps.uow() as uow:
                dead = await SqlWebhookEvents(uow.connection).record_failure(
                    provider=provider,
                    event_id=event_id,
                    error=error,
                    now=self._deps.clock.now(),
                    max_attempts=MAX_ATTEMPTS,
                )
                await uow.commit()
        except Exception as exc:  # the database itself is failing: count nothing, try later
            log.warning("webhook.failure_not_counted", event_id=event_id, error=repr(exc))
            return
        if dead:
            DEAD_WEBHOOK_EVENTS.labels(provider=provider).inc()
            log.warning("webhook.dead_lettered", provider=provider, event_id=event_id, reason=error)

    async def sweep(self) -> int:
        """Process every stored event still unprocessed (a crash, a failure, a restart)."""
        async with self._deps.uow() as uow:
            pending = await SqlWebhookEvents(uow.connection).unprocessed(limit=self._batch_size)
        return await self.process_batch(
            [(Provider(provider), event_id) for provider, event_id in pending]
        )

    async def drain(self, *, within: float = 5.0) -> None:
        """Finish what is queued (for a while), then stop the workers."""
        if self._workers:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(within):
                    await self._deps.webhooks.emptied()
            for worker in self._workers:
                worker.cancel()
            await asyncio.gather(*self._workers, return_exceptions=True)
            self._workers = []
