"""Periodic due jobs, safe with several replicas, and runnable on demand."""

import asyncio
import zlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Protocol, Self, TypeVar, cast, overload

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.logging import bound_contextvars, get_logger

log = get_logger(__name__)


class Transaction(Protocol):
    """What a due job needs of a unit of work: a block that commits or rolls back."""

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...


Uow = TypeVar("Uow", bound=Transaction)
Row = TypeVar("Row")
Work = TypeVar("Work", contravariant=True)
Deps = TypeVar("Deps", contravariant=True)
Found = TypeVar("Found", covariant=True)
Due = TypeVar("Due", contravariant=True)


class FindDue(Protocol[Work, Deps, Found]):
    """A use case listing due rows, unlocked: `async def f(*, uow, deps, limit) -> [row]`."""

    def __call__(self, *, uow: Work, deps: Deps, limit: int) -> Awaitable[Sequence[Found]]: ...


class StepDue(Protocol[Due, Work, Deps]):
    """A use case claiming one due row and acting on it: `async def f(row, *, uow, deps)`."""

    def __call__(self, row: Due, /, *, uow: Work, deps: Deps) -> Awaitable[bool]: ...


class ActDue(Protocol[Due, Deps]):
    """A use case that acts on one due row in units of work of its own (it calls a provider
    between two transactions, so no transaction is held over it): `async def f(row, *, deps)`.
    It claims the row itself and returns whether it changed anything."""

    def __call__(self, row: Due, /, *, deps: Deps) -> Awaitable[bool]: ...


async def step_each_due(
    uow: Callable[[], Uow],
    *,
    find: Callable[[Uow], Awaitable[Sequence[Row]]],
    step: Callable[[Row, Uow], Awaitable[bool]],
    batch_size: int,
) -> int:
    """The one due-job loop: find due rows, step each in its own unit of work; how many changed.

    `find` only reads (up to `batch_size` rows); `step` claims its row again with FOR UPDATE
    SKIP LOCKED, re-checks that it is still due (another replica, or a run begun at an older
    time, may have handled it) and returns whether it changed anything. Each step commits on
    its own; one that raises is logged and rolled back, and the others go on (the next run
    tries it again). Batches repeat while a full batch changed something.
    """

    async def in_its_own_unit(row: Row) -> bool:
        async with uow() as work:
            changed = await step(row, work)
            await work.commit()
        return changed

    return await act_on_each_due(uow, find=find, act=in_its_own_unit, batch_size=batch_size)


async def act_on_each_due(
    uow: Callable[[], Uow],
    *,
    find: Callable[[Uow], Awaitable[Sequence[Row]]],
    act: Callable[[Row], Awaitable[bool]],
    batch_size: int,
) -> int:
    """`step_each_due` for a use case that commits its own units of work (`ActDue`)."""
    handled = 0
    while True:
        async with uow() as work:
            due = await find(work)
        changed = 0
        for row in due:
            try:
                changed += await act(row)
            except Exception as exc:  # the next run tries again; the others go on
                log.exception("job.step_failed", row=repr(row), error=repr(exc))
        handled += changed
        if len(due) < batch_size or changed == 0:
            return handled


@overload
def due_job(
    uow: Callable[[], Uow],
    *,
    find: FindDue[Uow, Deps, Row],
    step: StepDue[Row, Uow, Deps],
    deps: Deps,
    batch_size: int,
) -> Callable[[], Awaitable[int]]: ...


@overload
def due_job(
    uow: Callable[[], Uow],
    *,
    find: FindDue[Work, Deps, Row],
    step: StepDue[Row, Work, Deps],
    deps: Deps,
    batch_size: int,
    repositories: Callable[[Uow], Work],
) -> Callable[[], Awaitable[int]]: ...


def due_job(
    uow: Callable[[], Uow],
    *,
    find: FindDue[Any, Any, Any],
    step: StepDue[Any, Any, Any],
    deps: Any,
    batch_size: int,
    repositories: Callable[[Uow], Any] | None = None,
) -> Callable[[], Awaitable[int]]:
    """What `runtime.add_job` runs: `step_each_due` over two use cases of the service.

    The use cases take the kernel unit of work, or the service's repositories on it
    (`repositories=SqlPacksUnitOfWork`), and the service's dependencies.
    """
    view = repositories or cast(Callable[[Uow], Any], _same)

    async def run() -> int:
        return await step_each_due(
            uow,
            find=lambda unit: find(uow=view(unit), deps=deps, limit=batch_size),
            step=lambda row, unit: step(row, uow=view(unit), deps=deps),
            batch_size=batch_size,
        )

    return run


def acting_due_job(
    uow: Callable[[], Uow],
    *,
    find: FindDue[Work, Deps, Row],
    act: ActDue[Row, Deps],
    deps: Deps,
    batch_size: int,
    repositories: Callable[[Uow], Work],
) -> Callable[[], Awaitable[int]]:
    """`due_job` for a step that commits its own units of work (`ActDue`): the same loop,
    the find in a unit of work of the kernel's, each act on its own."""

    async def run() -> int:
        return await act_on_each_due(
            uow,
            find=lambda unit: find(uow=repositories(unit), deps=deps, limit=batch_size),
            act=lambda row: act(row, deps=deps),
            batch_size=batch_size,
        )

    return run


def _same(uow: Uow) -> Uow:
    return uow


async def in_one_unit(uow: Callable[[], Uow], work: Callable[[Uow], Awaitable[int]]) -> int:
    """A due job that is one statement (no row to step): run it in one unit of work, commit."""
    async with uow() as unit:
        handled = await work(unit)
        await unit.commit()
    return handled


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
