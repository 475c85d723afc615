"""Coalesced calls: calls made together go in one batch, each gets its own answer."""

import asyncio

import pytest

from shared.coalescing import Coalesced


async def test_calls_waiting_together_go_in_one_batch_in_their_order():
    batches: list[list[int]] = []

    async def run(items: list[int]) -> list[int]:
        batches.append(items)
        await asyncio.sleep(0)
        return [item * 10 for item in items]

    double = Coalesced(run, max_batch=256)
    first = await asyncio.gather(*(double(n) for n in range(5)))
    second = await double(7)
    assert first == [0, 10, 20, 30, 40] and second == 70
    assert batches == [[0, 1, 2, 3, 4], [7]]


async def test_calls_arriving_while_a_batch_runs_go_in_the_next_one():
    batches: list[list[str]] = []
    release = asyncio.Event()

    async def run(items: list[str]) -> list[str]:
        batches.append(items)
        if len(batches) == 1:
            await release.wait()
        return items

    echo = Coalesced(run, max_batch=256)
    first = asyncio.create_task(echo("a"))
    await asyncio.sleep(0.01)  # "a" is in flight
    later = [asyncio.create_task(echo(item)) for item in "bc"]
    release.set()
    assert await asyncio.gather(first, *later) == ["a", "b", "c"]
    assert batches == [["a"], ["b", "c"]]


async def test_a_failing_batch_fails_each_of_its_callers_and_the_next_batch_still_runs():
    calls = 0

    async def run(items: list[int]) -> list[int]:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise ConnectionError("the database does not answer")
        return items

    echo = Coalesced(run, max_batch=256)
    failed = await asyncio.gather(echo(1), echo(2), return_exceptions=True)
    assert [type(error) for error in failed] == [ConnectionError, ConnectionError]
    assert await echo(3) == 3


async def test_a_caller_that_went_away_does_not_stop_the_others():
    async def run(items: list[int]) -> list[int]:
        await asyncio.sleep(0.01)
        return items

    echo = Coalesced(run, max_batch=256)
    gone = asyncio.create_task(echo(1))
    stays = asyncio.create_task(echo(2))
    await asyncio.sleep(0)
    gone.cancel()
    assert await stays == 2
    with pytest.raises(asyncio.CancelledError):
        await gone
