"""What one service process runs on: settings, database, message bus, clock and due jobs."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared import migrate
from shared.clock import Clock, SystemClock
from shared.db import ConnectionFactory, make_connection_factory, make_engine
from shared.jobs import Job, JobRunner
from shared.messaging import MessageBus
from shared.messaging.retention import prune_messaging_tables
from shared.settings import ServiceSettings
from shared.uow import UnitOfWork


@dataclass
class Runtime:
    settings: ServiceSettings
    engine: AsyncEngine
    connection_factory: ConnectionFactory
    bus: MessageBus
    clock: Clock
    alembic_ini: Path
    jobs: JobRunner = field(init=False)

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
        if self.settings.jobs_enabled:
            self.jobs.start()

    async def stop(self) -> None:
        await self.jobs.stop()
        await self.bus.stop()
        await self.engine.dispose()

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
    engine = make_engine(settings.database_url, pool_size=settings.database_pool_size)
    connection_factory = make_connection_factory(engine)
    clock = clock or SystemClock()
    bus = MessageBus(settings=settings, connection_factory=connection_factory, clock=clock)
    runtime = Runtime(
        settings=settings,
        engine=engine,
        connection_factory=connection_factory,
        bus=bus,
        clock=clock,
        alembic_ini=alembic_ini,
    )
    runtime.add_job("prune-messaging-tables", lambda: prune_messaging_tables(connection_factory))
    return runtime
