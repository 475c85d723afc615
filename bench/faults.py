"""Faults under a steady workload: NATS stopped, Postgres stopped, the consumer process killed.

A producer commits one event every 1/--rate s through the kernel's outbox (MessageBus); a
consumer running as its own process applies each one to an effects table through the inbox.
Each fault lasts --outage seconds. After each, the time until every event committed so far is
applied is printed; at the end: sent (committed), refused (the commit failed: database down),
applied, doubled (applied twice) and lost (committed, never applied).

    uv run python bench/faults.py [--outage 10] [--rate 20]
"""

import argparse
import asyncio
import logging
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import structlog
from sqlalchemy import Column, Integer, MetaData, Table, Uuid, func, select
from sqlalchemy.dialects.postgresql import insert

from shared.clock import SystemClock
from shared.db import make_connection_factory, make_engine
from shared.embedded import EmbeddedNats, EmbeddedPostgres
from shared.embedded.ports import free_port
from shared.messaging import MessageBus
from shared.messaging.events import PackDepleted
from shared.messaging.tables import kernel_metadata
from shared.settings import ServiceSettings

NAMESPACE = "faults"
effects_metadata = MetaData()
effects = Table(
    "effects",
    effects_metadata,
    Column("event_id", Uuid, primary_key=True),
    Column("applied", Integer, nullable=False),
)


def bus_for(database_url: str, nats_url: str, service: str) -> MessageBus:
    settings = ServiceSettings(
        service_name=service,
        dev_mode=True,
        database_url=database_url,
        nats_url=nats_url,
        nats_namespace=NAMESPACE,
        outbox_sweep_seconds=1.0,
    )
    engine = make_engine(database_url, pool_size=4)
    return MessageBus(
        settings=settings, connection_factory=make_connection_factory(engine), clock=SystemClock()
    )


async def apply_effect(event: PackDepleted, uow, envelope) -> None:
    """+1 per application: a second effect of the same event shows as 2."""
    statement = insert(effects).values(event_id=envelope.id, applied=1)
    await uow.connection.execute(
        statement.on_conflict_do_update(
            index_elements=["event_id"], set_={"applied": effects.c.applied + 1}
        )
    )


async def consume(database_url: str, nats_url: str) -> None:
    """The consumer process: applies events until it is killed."""
    bus = bus_for(database_url, nats_url, "consumer")
    bus.consumers.on(PackDepleted, purpose="effects")(apply_effect)
    await bus.start()
    await asyncio.Event().wait()


class Workload:
    def __init__(self, bus: MessageBus, rate: float) -> None:
        self.bus = bus
        self.interval = 1.0 / rate
        self.sent: list[uuid.UUID] = []
        self.refused = 0

    async def run(self) -> None:
        while True:
            try:
                async with self.bus.uow() as uow:
                    event = PackDepleted(pack_id=uuid.uuid4(), student_id="s1", mentor_id="m1")
                    envelope = uow.record(event)
                    await uow.commit()
                self.sent.append(envelope.id)
            except Exception:
                self.refused += 1  # the database is down: nothing committed, nothing to send
            await asyncio.sleep(self.interval)


async def applied_counts(bus: MessageBus) -> tuple[int, int] | None:
    try:
        async with bus.connection_factory() as connection:
            row = (
                await connection.execute(
                    select(func.count(), func.count().filter(effects.c.applied > 1))
                )
            ).one()
        return row[0], row[1]
    except Exception:
        return None


async def time_to_apply(bus: MessageBus, count: int, *, limit: float = 120.0) -> float:
    """Seconds until at least `count` events are applied (inf past `limit`)."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        counts = await applied_counts(bus)
        if counts is not None and counts[0] >= count:
            return time.monotonic() - started
        await asyncio.sleep(0.1)
    return float("inf")


def start_consumer(database_url: str, nats_url: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, __file__, "consume", database_url, nats_url]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def run(args: argparse.Namespace, nats_server: EmbeddedNats, pg: EmbeddedPostgres) -> None:
    database_url = pg.sqlalchemy_url()
    setup = make_engine(database_url)
    async with setup.begin() as connection:
        await connection.run_sync(kernel_metadata.create_all)
        await connection.run_sync(effects_metadata.create_all)
    await setup.dispose()
    consumer = start_consumer(database_url, nats_server.url)
    producer = bus_for(database_url, nats_server.url, "producer")
    await producer.start()
    workload = Workload(producer, args.rate)
    task = asyncio.create_task(workload.run())
    print(f"steady workload: {args.rate:.0f} events/s, faults of {args.outage:.0f} s each")
    await asyncio.sleep(3)

    async def fault(name: str, stop, start) -> None:
        await asyncio.to_thread(stop)
        await asyncio.sleep(args.outage)
        await asyncio.to_thread(start)
        ended_with = len(workload.sent)
        seconds = await time_to_apply(producer, ended_with)
        print(f"{name:<34} all {ended_with:5d} committed so far applied {seconds:6.1f} s after")

    await fault("NATS stopped", nats_server.stop, nats_server.start)
    await fault("Postgres stopped", pg.stop, pg.start)
    processes = [consumer]

    def kill_consumer() -> None:
        processes[0].kill()
        processes[0].wait()

    def restart_consumer() -> None:
        processes[0] = start_consumer(database_url, nats_server.url)

    await fault("consumer process killed (SIGKILL)", kill_consumer, restart_consumer)
    task.cancel()
    await asyncio.sleep(0)
    sent = len(workload.sent)
    await time_to_apply(producer, sent)
    applied, doubled = await applied_counts(producer) or (0, 0)
    print(f"sent {sent}  refused while the database was down {workload.refused}  "
          f"applied {applied}  doubled {doubled}  lost {sent - applied}")  # fmt: skip
    kill_consumer()
    await producer.stop()


async def main() -> None:
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.ERROR))
    if len(sys.argv) == 4 and sys.argv[1] == "consume":
        await consume(sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outage", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=20.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        nats_server = EmbeddedNats(Path(workdir) / "nats", port=free_port()).start()
        pg = EmbeddedPostgres(Path(workdir) / "pg", port=free_port(), fast=True).start()
        try:
            await run(args, nats_server, pg)
        finally:
            nats_server.stop()
            pg.stop()


if __name__ == "__main__":
    asyncio.run(main())
