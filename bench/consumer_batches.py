"""Consumer batch size: how fast a kernel consumer drains a backlog at each `consumer_batch_size`.

For each size, --events envelopes wait in the stream before the consumer starts (a service
coming back, a burst from a bulk import); the figure is events applied per second until the
last one is committed, each through the inbox with one effect INSERT. Chooses the default of
`consumer_batch_size` (decision 0027).

    uv run python bench/consumer_batches.py [--events 3000] [--sizes 1,10,50,200]
"""

import argparse
import asyncio
import json
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
import nats
from event_hop import bench_metadata, effects, loadavg
from sqlalchemy.dialects.postgresql import insert

from shared.clock import SystemClock
from shared.db import make_connection_factory, make_engine
from shared.embedded import EmbeddedNats, EmbeddedPostgres
from shared.logging import LogFormat
from shared.logging import configure as configure_logging
from shared.messaging import MessageBus, observe
from shared.messaging.events import Envelope, PackDepleted
from shared.messaging.stream import declare_domain_stream
from shared.messaging.tables import kernel_metadata
from shared.settings import ServiceSettings


async def drain(nats_url: str, database_url: str, events: int, batch_size: int) -> float:
    namespace = f"batch{batch_size}"
    connection = await nats.connect(nats_url)
    jetstream = connection.jetstream()
    await declare_domain_stream(jetstream, namespace)
    for _ in range(events):
        event = PackDepleted(pack_id=uuid.uuid4(), student_id="s", mentor_id="m")
        body = Envelope.wrap(event, producer="bench").model_dump(mode="json")
        await jetstream.publish(f"{namespace}.pack.depleted", json.dumps(body).encode())
    await connection.close()

    engine = make_engine(database_url)
    async with engine.begin() as db:
        await db.run_sync(kernel_metadata.create_all)
        await db.run_sync(bench_metadata.create_all)
    settings = ServiceSettings(
        service_name="bench",
        dev_mode=True,
        database_url=database_url,
        nats_url=nats_url,
        nats_namespace=namespace,
        consumer_batch_size=batch_size,
    )
    bus = MessageBus(
        settings=settings, connection_factory=make_connection_factory(engine), clock=SystemClock()
    )

    @bus.consumers.on(PackDepleted, purpose=f"drain-{batch_size}")
    async def apply(event_, uow, envelope):
        await uow.connection.execute(
            insert(effects).values(event_id=envelope.id, student_id=event_.student_id)
        )

    applied = 0
    done = asyncio.get_running_loop().create_future()
    event_handled = observe.event_handled

    def counted(**fields) -> None:
        nonlocal applied
        event_handled(**fields)
        applied += 1
        if applied == events:
            done.set_result(time.perf_counter())

    observe.event_handled = counted
    started = time.perf_counter()
    await bus.start()
    finished = await done
    observe.event_handled = event_handled
    await bus.stop()
    await engine.dispose()
    return events / (finished - started)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=3000)
    parser.add_argument("--sizes", default="1,10,50,200")
    args = parser.parse_args()
    configure_logging(level="WARNING", log_format=LogFormat.json)
    sizes = [int(size) for size in args.sizes.split(",")]
    with (
        tempfile.TemporaryDirectory() as workdir,
        EmbeddedNats(Path(workdir) / "nats") as nats_server,
        EmbeddedPostgres(Path(workdir) / "pg") as postgres,
    ):
        load_before = loadavg()
        rates = {}
        for size in sizes:
            admin = await asyncpg.connect(postgres.url())
            await admin.execute(f"CREATE DATABASE drain{size}")
            await admin.close()
            url = postgres.sqlalchemy_url(f"drain{size}")
            rates[size] = await drain(nats_server.url, url, args.events, size)
    print(f"\nbacklog of {args.events} events drained by one consumer (durable commits)")
    print(f"/proc/loadavg before: {load_before}, after: {loadavg()}\n")
    for size, rate in rates.items():
        print(
            f"consumer_batch_size {size:>4}: {rate:8.0f} events/s  ({rate / rates[sizes[0]]:.1f}x)"
        )


if __name__ == "__main__":
    asyncio.run(main())
