"""Periodic due jobs, safe with several replicas, and runnable on demand."""

import asyncio
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.logging import bound_contextvars, get_logger

log = get_logger(__name__)


@dataclass(frozen=True)
class Job:
    """`run()` claims due rows itself (FOR UPDATE SKIP LOCKED) and returns how many it handled."""

    name: str
    run: Callable[[], Awaitable[int]]


class JobRunner:
    """Runs every job each interval; a Postgres advisory lock keeps one replica per job at once."""

    def __init__(self, *, engine: AsyncEngine, jobs: list[Job], interval_seconds: float) -> None:
        self._engine = engine
        self.jobs = {job.name: job for job in jobs}
        self._interval = interval_seconds
        self._task: asyncio.Task[None] | None = None

    async def run_now(self, name: str, *, wait_for_lock: bool = True) -> int | None:
        """Run one job now; None if another replica holds it and we chose not to wait."""
        job = self.jobs[name]
        key = zlib.crc32(name.encode())
        async with self._engine.connect() as connection:
            if wait_for_lock:
                await connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": key})
            else:
                got = await connection.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": key})
                if not got:
                    return None
            await connection.commit()
            try:
                with bound_contextvars(job=name):
                    handled = await job.run()
                if handled:
                    log.info("job.ran", job=name, handled=handled)
                return handled
            finally:
                await connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                await connection.commit()

    async def run_all(self, *, wait_for_lock: bool = False) -> dict[str, int | None]:
        """Every job once; by default skipping those another replica is running."""
        return {name: await self.run_now(name, wait_for_lock=wait_for_lock) for name in self.jobs}

    def start(self) -> None:
        if self.jobs and self._task is None:
            self._task = asyncio.create_task(self._loop())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _loop(self) -> None:
        while True:
            try:
                await self.run_all()
            except Exception as exc:
                log.warning("jobs.failed", error=repr(exc))
            await asyncio.sleep(self._interval)
