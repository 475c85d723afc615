"""Availability's one read runs on the driver under a pooled Core connection (decision 0036)."""

import asyncio

import pytest
from sqlalchemy import text

from booking.adapters.driver import DriverStatement

BACKEND = DriverStatement.compiled(text("SELECT pg_backend_pid() AS pid, :label AS label"))
SLOW = DriverStatement.compiled(text("SELECT pg_sleep(CAST(:seconds AS float8))"))


async def test_a_statement_reads_its_bind_values_by_name_in_the_order_asyncpg_numbers_them(
    driver,
):
    async with driver.runtime.connection_factory() as connection:
        row = await BACKEND.fetch_row(connection, {"label": "first"})

    assert BACKEND.names == ("label",)
    assert row is not None and row["label"] == "first" and row["pid"] > 0


async def test_a_read_cut_off_mid_statement_never_hands_its_connection_to_the_next_caller(driver):
    factory = driver.runtime.connection_factory
    pids: list[int] = []

    async def slow_read() -> None:
        async with factory() as connection:
            row = await BACKEND.fetch_row(connection, {"label": "slow"})
            assert row is not None
            pids.append(row["pid"])
            await SLOW.fetch_row(connection, {"seconds": 30})

    with pytest.raises(TimeoutError):
        await asyncio.wait_for(slow_read(), timeout=0.5)

    # The cut-off connection was dropped: its server process is gone, and the pool's next
    # connections answer at once (none is stuck behind the 30-second sleep).
    left = await driver.count("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid", pid=pids[0])
    for _ in range(50):
        if not left:
            break
        await asyncio.sleep(0.05)
        left = await driver.count(
            "SELECT count(*) FROM pg_stat_activity WHERE pid = :pid", pid=pids[0]
        )
    assert left == 0
    async with asyncio.timeout(2):
        for _ in range(3):
            async with factory() as connection:
                assert await BACKEND.fetch_row(connection, {"label": "next"}) is not None
