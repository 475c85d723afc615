"""Requests with one key run one at a time in this process: twins of one booking queue."""

import asyncio
from collections.abc import AsyncIterator, Hashable
from contextlib import asynccontextmanager


class SingleFlight:
    """A lock per key, kept only while someone holds or waits for it.

    A booking sent twice at once would reserve two credits before either commits (the
    check runs outside a transaction); queued, the second finds the first's session. Twins
    reaching two replicas are still decided by the database and the release of the loser.
    """

    def __init__(self) -> None:
        self._locks: dict[Hashable, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def one_at_a_time(self, key: Hashable) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)
