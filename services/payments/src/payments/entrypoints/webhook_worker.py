"""Processes stored provider events right after they are answered; a due job sweeps the rest."""

import asyncio

from payments.adapters import webhook_events as events_repo
from payments.service_layer.context import Context
from payments.service_layer.webhooks import process_event
from shared.logging import get_logger

log = get_logger(__name__)


class WebhookWorker:
    def __init__(self, *, ctx: Context, batch_size: int) -> None:
        self._ctx = ctx
        self._batch_size = batch_size
        self._in_flight: set[asyncio.Task] = set()

    def soon(self, *, provider: str, event_id: str) -> None:
        """Process this stored event in the background (the webhook is already answered)."""
        task = asyncio.create_task(self.process(provider=provider, event_id=event_id))
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)

    async def process(self, *, provider: str, event_id: str) -> str | None:
        try:
            async with self._ctx.uow() as uow:
                outcome = await process_event(
                    provider=provider, event_id=event_id, uow=uow, ctx=self._ctx
                )
                await uow.commit()
            return outcome
        except Exception as exc:  # stays unprocessed; the due job tries again
            log.exception("webhook.process_failed", event_id=event_id, error=repr(exc))
            return None

    async def sweep(self) -> int:
        """Process every stored event still unprocessed (a crash, a failure, a restart)."""
        async with self._ctx.uow() as uow:
            pending = await events_repo.unprocessed(uow.session, limit=self._batch_size)
        handled = 0
        for provider, event_id in pending:
            if await self.process(provider=provider, event_id=event_id) is not None:
                handled += 1
        return handled

    async def drain(self) -> None:
        if self._in_flight:
            await asyncio.gather(*self._in_flight, return_exceptions=True)
