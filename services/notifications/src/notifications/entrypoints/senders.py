"""Sending runs off the event consumers: one loop per channel, each with its own slots.

A loop claims due rows (SKIP LOCKED, leased) up to its free slots, sends each in its own task
and settles it in a short transaction. A slow SMTP server fills only the email slots, so
Discord and the event consumers never wait for it. Loops wake on NOTIFY at commit, when a
send finishes, and every `poll_seconds` (retries coming due).
"""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import Row

from notifications.domain.model import Channel
from notifications.domain.retries import SendResult, Transient
from notifications.service_layer.dependencies import Dependencies
from notifications.service_layer.sending import claim_due, settle_attempt
from shared.logging import bound_contextvars, get_logger
from shared.runtime import Runtime

log = get_logger(__name__)

Deliver = Callable[[Row[Any]], Awaitable[SendResult]]


class ChannelSender:
    def __init__(
        self,
        channel: Channel,
        *,
        runtime: Runtime,
        deps: Dependencies,
        deliver: Deliver,
        concurrency: int,
        poll_seconds: float,
        stop_grace_seconds: float = 5.0,
    ) -> None:
        self.channel = channel
        self._runtime = runtime
        self._deps = deps
        self._deliver = deliver
        self._concurrency = concurrency
        self._poll_seconds = poll_seconds
        self._stop_grace = stop_grace_seconds
        self._wake = asyncio.Event()
        self._in_flight: set[asyncio.Task[None]] = set()
        self._loop: asyncio.Task[None] | None = None

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        self._loop = asyncio.create_task(self._run(), name=f"sender-{self.channel}")

    async def stop(self) -> None:
        """Stop claiming, give the sends under way a grace period, then cancel the rest.

        A canceled send keeps its lease and is sent again once the lease runs out.
        """
        if self._loop is not None:
            self._loop.cancel()
            await asyncio.gather(self._loop, return_exceptions=True)
        if self._in_flight:
            _, late = await asyncio.wait(self._in_flight, timeout=self._stop_grace)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)

    async def _run(self) -> None:
        while True:
            self._wake.clear()  # before claiming, so a wake during the claim is not lost
            free = self._concurrency - len(self._in_flight)
            claimed = await self._claim(free) if free > 0 else []
            for delivery in claimed:
                task = asyncio.create_task(self._send(delivery))
                self._in_flight.add(task)
                task.add_done_callback(self._finished)
            if claimed and len(claimed) == free:
                continue  # maybe more are due: claim again once a slot frees up
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self._poll_seconds)
            except TimeoutError:
                pass

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._in_flight.discard(task)
        self._wake.set()

    async def _claim(self, limit: int) -> list[Row[Any]]:
        try:
            async with self._runtime.uow() as uow:
                claimed = await claim_due(self.channel, uow=uow, deps=self._deps, limit=limit)
                await uow.commit()
            return claimed
        except Exception as exc:  # the database is away: try again at the next poll
            log.warning("sender.claim_failed", channel=self.channel, error=repr(exc))
            return []

    async def _send(self, delivery: Row[Any]) -> None:
        with bound_contextvars(delivery_id=str(delivery.delivery_id), channel=self.channel):
            try:
                result = await self._deliver(delivery)
            except Exception as exc:  # an adapter bug must not lose the row: retry it later
                log.exception("sender.deliver_crashed")
                result = Transient(f"{exc.__class__.__name__}: {exc}")
            try:
                async with self._runtime.uow() as uow:
                    transition = await settle_attempt(delivery, result, uow=uow, deps=self._deps)
                    await uow.commit()
            except Exception as exc:  # the lease runs out and the row is sent again
                log.warning("sender.settle_failed", error=repr(exc))
                return
            if transition is not None:
                log.info(
                    "delivery.attempted",
                    status=transition.status,
                    attempt=delivery.attempts,
                    error=transition.error,
                )
