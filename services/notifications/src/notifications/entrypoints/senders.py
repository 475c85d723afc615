"""Sending runs off the event consumers: one loop per channel, each with its own slots.

A loop settles the outcomes its sends reported and claims due rows (SKIP LOCKED, leased) up to
its free slots, both in one short transaction; it sends each claimed row in its own task. A
slow SMTP server fills only the email slots, so Discord and the event consumers never wait for
it. Loops wake on NOTIFY at commit, when a send finishes, and every `poll_seconds` (retries
coming due). Outcomes that arrive while a transaction runs wait for the next one, so under
load one transaction settles and claims several rows (decision 0032).
"""

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

from notifications.adapters.unit_of_work import SqlNotificationsUnitOfWork
from notifications.domain.model import Channel, Delivery
from notifications.domain.retries import SendResult, Transient
from notifications.service_layer.dependencies import Dependencies
from notifications.service_layer.sending import Outcome, claim_due, settle_attempts
from shared.logging import bound_contextvars, get_logger
from shared.runtime import Runtime

log = get_logger(__name__)

Deliver = Callable[[Delivery], Awaitable[SendResult]]


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
        self._outcomes: list[Outcome] = []
        self._batch = max(1, concurrency // 4)
        """Free slots (hence outcomes) that make a transaction worth it while sends are on."""
        """Attempts that ended and are not recorded yet (the next transaction takes them)."""
        self._loop: asyncio.Task[None] | None = None
        self._stopping = False

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        self._loop = asyncio.create_task(self._run(), name=f"sender-{self.channel}")

    async def stop(self) -> None:
        """Stop claiming, give the sends under way a grace period, cancel the rest, then
        record the outcomes that came back.

        A canceled send keeps its lease and is sent again once the lease runs out.
        """
        self._stopping = True  # the loop ends at its next turn even if a cancel is swallowed
        if self._loop is not None:
            self._loop.cancel()
            await asyncio.gather(self._loop, return_exceptions=True)
        if self._in_flight:
            _, late = await asyncio.wait(self._in_flight, timeout=self._stop_grace)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        if self._outcomes:
            await self._exchange(limit=0)

    async def _run(self) -> None:
        while not self._stopping:
            self._wake.clear()  # before the exchange, so a wake during it is not lost
            free = self._concurrency - len(self._in_flight)
            if self._in_flight and free < self._batch:
                claimed = []  # let a few more sends end: one transaction settles them together
            else:
                claimed = await self._exchange(limit=free)
            for delivery in claimed:
                task = asyncio.create_task(self._send(delivery))
                self._in_flight.add(task)
                task.add_done_callback(self._finished)
            if claimed and len(claimed) == free:
                continue  # maybe more are due: claim again once a slot frees up
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for drops a cancel that arrives
            # as the wake is set (a send ending during stop), and stop() then waited forever.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._poll_seconds):
                    await self._wake.wait()

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._in_flight.discard(task)
        self._wake.set()

    async def _exchange(self, *, limit: int) -> list[Delivery]:
        """In one transaction: record the outcomes so far, then lease up to `limit` due rows.

        Outcomes it could not record stay for the next one; if they never are, the leases run
        out and the rows are sent again (at least once, never lost).
        """
        outcomes, self._outcomes = self._outcomes, []
        recorded = False
        try:
            async with self._runtime.uow() as uow:
                repositories = SqlNotificationsUnitOfWork(uow)
                transitions = await settle_attempts(outcomes, uow=repositories, deps=self._deps)
                claimed = []
                if limit > 0:
                    claimed = await claim_due(
                        self.channel, uow=repositories, deps=self._deps, limit=limit
                    )
                await uow.commit()
                recorded = True
        except Exception as exc:  # the database is away: try again at the next wake or poll
            log.warning("sender.exchange_failed", channel=self.channel, error=repr(exc))
            return []
        finally:
            if not recorded:
                self._outcomes[:0] = outcomes
        for (delivery, _), transition in zip(outcomes, transitions, strict=True):
            if transition is not None:
                with bound_contextvars(delivery_id=str(delivery.delivery_id), channel=self.channel):
                    log.info(
                        "delivery.attempted",
                        status=transition.status,
                        attempt=delivery.attempts,
                        error=transition.error,
                    )
        return claimed

    async def _send(self, delivery: Delivery) -> None:
        with bound_contextvars(delivery_id=str(delivery.delivery_id), channel=self.channel):
            try:
                result = await self._deliver(delivery)
            except Exception as exc:  # an adapter bug must not lose the row: retry it later
                log.exception("sender.deliver_crashed")
                result = Transient(f"{exc.__class__.__name__}: {exc}")
        self._outcomes.append((delivery, result))
