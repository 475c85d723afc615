"""A tiny service on the kernel alone: one table counting effects per event."""

from collections.abc import AsyncIterator, Callable

import pytest
from sqlalchemy import Column, Integer, String, Table, Uuid
from sqlalchemy.dialects.postgresql import insert

from shared.clock import SystemClock
from shared.db import make_connection_factory, make_engine, make_metadata
from shared.messaging import MessageBus
from shared.messaging.events import PackDepleted
from shared.messaging.tables import kernel_metadata
from shared.settings import ServiceSettings

test_metadata = make_metadata()
effects = Table(
    "effects",
    test_metadata,
    Column("event_id", Uuid, primary_key=True),
    Column("student_id", String(50), nullable=False),
    Column("applied", Integer, nullable=False),
)


async def count_effects(bus: MessageBus) -> dict[str, int]:
    async with bus.connection_factory() as session:
        rows = await session.execute(effects.select())
        return {str(row.event_id): row.applied for row in rows}


async def apply_effect(event: PackDepleted, uow, envelope) -> None:
    """Adds 1 per application, so a second effect of the same event shows as 2."""
    statement = insert(effects).values(event_id=envelope.id, student_id=event.student_id, applied=1)
    await uow.connection.execute(
        statement.on_conflict_do_update(
            index_elements=["event_id"], set_={"applied": effects.c.applied + 1}
        )
    )


@pytest.fixture
async def make_bus(databases, nats_url, namespace) -> AsyncIterator[Callable]:
    """Builds started MessageBus objects sharing one fresh database; stops them after."""
    name, url = await databases.create()
    engine = make_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(kernel_metadata.create_all)
        await connection.run_sync(test_metadata.create_all)
    buses: list[MessageBus] = []

    def make(*, url_override: str | None = None, register=None, **overrides) -> MessageBus:
        settings = ServiceSettings(
            service_name=overrides.pop("service_name", "kernel"),
            dev_mode=True,
            database_url=url,
            nats_url=url_override or nats_url,
            nats_namespace=namespace,
            outbox_sweep_seconds=0.3,
            **{
                "consumer_backoff_seconds": (0.2, 0.4, 0.8),
                "consumer_outage_backoff_seconds": (0.1, 0.2),
                "consumer_max_attempts": 3,
                **overrides,
            },
        )
        bus = MessageBus(
            settings=settings,
            connection_factory=make_connection_factory(engine),
            clock=SystemClock(),
        )
        if register is not None:
            register(bus)
        buses.append(bus)
        return bus

    yield make
    for bus in buses:
        await bus.stop()
    await engine.dispose()
    await databases.drop(name)
