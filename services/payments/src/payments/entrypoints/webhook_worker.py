"""Processes stored provider events soon after they are answered; a due job sweeps the rest.

A few workers drain one queue, so processing never takes the database pool away from the
webhook requests themselves (answering fast matters more than applying at once). Anything
still queued at shutdown stays stored, unprocessed, for the sweep.
"""

import asyncio
import contextlib

from payments.adapters import webhook_events as events_repo
from payments.metrics import DEAD_WEBHOOK_EVENTS
from payments.service_layer.context import Context
from payments.service_layer.webhooks import process_event
from shared.logging import get_logger

log = get_logger(__name__)

MAX_ATTEMPTS = 10  # failed applications of one event before it is dead-lettered


class WebhookWorker:
    def __init__(self, *, ctx: Context, batch_size: int, concurrency: int = 2) -> None:
        self._ctx = ctx
        self._batch_size = batch_size
        self._concurrency = concurrency
        self._queue: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
        self._workers: list[asyncio.Task[None]] = []

    def soon(self, *, provider: str, event_id: str) -> None:
        """Process this stored event in the background (the webhook is already answered)."""
        if self._concurrency == 0:  # the due job's sweep processes it
            return
        if not self._workers:
            self._workers = [asyncio.create_task(self._work()) for _ in range(self._concurrency)]
        self._queue.put_nowait((provider, event_id))

    async def _work(self) -> None:
        while True:
            provider, event_id = await self._queue.get()
            try:
                await self.process(provider=provider, event_id=event_id)
            finally:
                self._queue.task_done()

    async def process(self, *, provider: str, event_id: str) -> str | None:
        try:
            async with self._ctx.uow() as uow:
                outcome = await process_event(
                    provider=provider, event_id=event_id, uow=uow, ctx=self._ctx
                )
                await uow.commit()
            return outcome
        except Exception as exc:  # stays unprocessed; the due job tries again, a few times
            log.exception("webhook.process_failed", event_id=event_id, error=repr(exc))
            await self._count_failure(provider=provider, event_id=event_id, error=repr(exc))
            return None

    async def _count_failure(self, *, provider: str, event_id: str, error: str) -> None:
        """After MAX_ATTEMPTS failures the event ends as a dead letter, so that a few events
        that always fail cannot hold the sweep's batch forever."""
        try:
            async with self._ctx.uow() as uow:
                dead = await events_repo.record_failure(
                    uow.connection,
                    provider=provider,
                    event_id=event_id,
                    error=error,
                    now=self._ctx.clock.now(),
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
        async with self._ctx.uow() as uow:
            pending = await events_repo.unprocessed(uow.connection, limit=self._batch_size)
        handled = 0
        for provider, event_id in pending:
            if await self.process(provider=provider, event_id=event_id) is not None:
                handled += 1
        return handled

    async def drain(self, *, within: float = 5.0) -> None:
        """Finish what is queued (for a while), then stop the workers."""
        if self._workers:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(within):
                    await self._queue.join()
            for worker in self._workers:
                worker.cancel()
            await asyncio.gather(*self._workers, return_exceptions=True)
            self._workers = []
