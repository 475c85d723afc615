"""Stored provider events to process soon, in this process (what is lost here, the sweep finds)."""

import asyncio

from payments.domain.model import Provider


class WebhookQueue:
    """An in-memory queue of (provider, event id); `enabled=False` leaves every event to the
    `process-webhook-events` sweep (no in-process workers)."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self._queue: asyncio.Queue[tuple[Provider, str]] = asyncio.Queue()

    def soon(self, *, provider: Provider, event_id: str) -> None:
        """Process this stored event in the background (the webhook is already answered)."""
        if self.enabled:
            self._queue.put_nowait((provider, event_id))

    async def next_batch(self, limit: int) -> list[tuple[Provider, str]]:
        """The next event (waiting for one) and whatever else is queued, `limit` at most."""
        batch = [await self._queue.get()]
        while len(batch) < limit and not self._queue.empty():
            batch.append(self._queue.get_nowait())
        return batch

    def done(self, count: int = 1) -> None:
        """`count` events taken were processed (or left to the sweep)."""
        for _ in range(count):
            self._queue.task_done()

    async def emptied(self) -> None:
        """Until every queued event was taken and done."""
        await self._queue.join()
