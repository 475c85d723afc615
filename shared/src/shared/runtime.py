"""What one service process runs on: settings, database, message bus, clock and due jobs."""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared import migrate
from shared.clock import Clock, OffsetClock, SystemClock
from shared.db import ConnectionFactory, make_connection_factory, make_engine
from shared.jobs import Job, JobRunner
from shared.logging import get_logger
from shared.messaging import MessageBus
from shared.messaging.dev_clock import DevClockSync
from shared.messaging.retention import prune_messaging_tables
from shared.settings import ServiceSettings
from shared.uow import UnitOfWork

log = get_logger(__name__)


@dataclass
class Runtime:
    settings: ServiceSettings
    engine: AsyncEngine
    connection_factory: ConnectionFactory
    bus: MessageBus
    clock: Clock
    alembic_ini: Path
    # Dev mode only (and no clock given): the offset every service of the deployment shares.
    dev_clock: DevClockSync | None = None
    jobs: JobRunner = field(init=False)
    _catch_up: asyncio.Task[None] | None = field(init=False, default=None)
    _catch_up_again: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        self.jobs = JobRunner(
            engine=self.engine, jobs=[], interval_seconds=self.settings.jobs_interval_seconds
        )

    @property
    def service(self) -> str:
        return self.settings.service_name

    def uow(self) -> UnitOfWork:
        return self.bus.uow()

    def add_job(self, name: str, run: Callable[[], Awaitable[int]]) -> None:
        self.jobs.jobs[name] = Job(name=name, run=run)

    async def start(self) -> None:
        await self.bus.start()
        if self.dev_clock is not None:
            await self.dev_clock.start(self.bus.broker.connection)
        if self.settings.jobs_enabled:
            self.jobs.start()

    async def stop(self) -> None:
        if self.dev_clock is not None:
            await self.dev_clock.stop()
        if self._catch_up is not None:
            self._catch_up.cancel()
            await asyncio.gather(self._catch_up, return_exceptions=True)
        await self.jobs.stop()
        await self.bus.stop()
        await self.engine.dispose()

    def clock_moved(self) -> None:
        """The dev clock moved: run the due jobs now, not at their next tick (one run at once)."""
        if not self.settings.jobs_enabled:
            return
        self._catch_up_again = True
        if self._catch_up is None or self._catch_up.done():
            self._catch_up = asyncio.create_task(self._catch_up_jobs())

    async def _catch_up_jobs(self) -> None:
        while self._catch_up_again:
            self._catch_up_again = False
            try:
                # Waits for a run in progress (begun at the old time), then runs at the new one.
                await self.jobs.run_all(wait_for_lock=True)
            except Exception as exc:
                log.warning("jobs.catch_up_failed", error=repr(exc))

    async def readiness(self) -> dict[str, str]:
        """One line per dependency: 'ok' or what is wrong."""
        checks: dict[str, str] = {}
        try:
            async with self.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
                current = await migrate.current_revisions(connection, self.service)
            expected = migrate.script_heads(self.alembic_ini)
            checks["database"] = "ok"
            checks["migrations"] = (
                "ok" if current == expected else f"at {sorted(current)}, head is {sorted(expected)}"
            )
        except Exception as exc:
            checks["database"] = f"unreachable: {exc.__class__.__name__}"
            checks["migrations"] = "unknown"
        checks["nats"] = "ok" if await self.bus.is_connected() else "disconnected"
        return checks


def build_runtime(
    settings: ServiceSettings, *, alembic_ini: Path, clock: Clock | None = None
) -> Runtime:
    engine = make_engine(
        settings.database_url,
        pool_size=settings.database_pool_size,
        pool_timeout=settings.database_pool_timeout_seconds,
    )
    connection_factory = make_connection_factory(engine)
    # Outside dev mode real time, with no KV read at all; a test's clock always wins.
    dev_clock = OffsetClock() if clock is None and settings.dev_mode else None
    clock = clock or dev_clock or SystemClock()
    bus = MessageBus(settings=settings, connection_factory=connection_factory, clock=clock)
    runtime = Runtime(
        settings=settings,
        engine=engine,
        connection_factory=connection_factory,
        bus=bus,
        clock=clock,
        alembic_ini=alembic_ini,
    )
    if dev_clock is not None:
        runtime.dev_clock = DevClockSync(
            clock=dev_clock,
            namespace=settings.nats_namespace,
            on_change=runtime.clock_moved,
            replicas=settings.stream_replicas,
        )
    runtime.add_job("prune-messaging-tables", lambda: prune_messaging_tables(connection_factory))
    return runtime
