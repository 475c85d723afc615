"""Calls coalesced across the requests in flight: one statement answers a batch of callers.

`await coalesced(item)` joins the batch that is waiting: while one batch runs, the calls that
arrive meanwhile wait and go together in the next (no timer, so a caller alone waits for
nothing). A caller resumes only once its batch answered, so what it waits for (a grant, a
stored webhook) is done when it resumes. Video's token records (decision 0029) and payments'
webhook intake (decision 0037) use it.
"""

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

Item = TypeVar("Item")
Answer = TypeVar("Answer")


class Coalesced(Generic[Item, Answer]):
    """`await coalesced(item)`: `run` gets the items waiting together, answers each in order."""

    def __init__(
        self,
        run: Callable[[list[Item]], Awaitable[Sequence[Answer]]],
        *,
        max_batch: int,
    ) -> None:
        self._run = run
        self._max_batch = max_batch
        self._waiting: list[tuple[Item, asyncio.Future[Answer]]] = []
        self._drainer: asyncio.Task[None] | None = None

    async def __call__(self, item: Item) -> Answer:
        answer: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, answer))
        if self._drainer is None:
            self._drainer = asyncio.create_task(self._drain())
        return await answer

    async def _drain(self) -> None:
        try:
            while self._waiting:
                batch = self._waiting[: self._max_batch]
                del self._waiting[: self._max_batch]
                await self._answer(batch)
        finally:
            self._drainer = None

    async def _answer(self, batch: list[tuple[Item, asyncio.Future[Answer]]]) -> None:
        try:
            answers = await self._run([item for item, _ in batch])
        except Exception as exc:  # every caller of the batch sees the failure, as its own
            for _, answer in batch:
                if not answer.done():
                    answer.set_exception(exc)
            return
        except BaseException:  # cancelled (shutting down): nobody waits forever
            for _, answer in batch:
                answer.cancel()
            raise
        for (_, answer), value in zip(batch, answers, strict=True):
            if not answer.done():  # a caller that went away (cancelled) is skipped
                answer.set_result(value)
