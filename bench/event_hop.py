"""Event hop: commit of a state change → the consumer's committed effect, over real JetStream.

Prints p50/p99 and throughput of the kernel's path (outbox → relay → JetStream → durable pull
consumer → inbox + effect + commit) and, measured in the same run on the same servers, the raw
floors: a bare nats-py JetStream publish → pull-consume round trip, a bare request–reply, and
the same hop written by hand (nats-py waiting pull consumer + asyncpg transaction).

    uv run python bench/event_hop.py [--samples 300] [--burst 2000]
"""

import argparse
import asyncio
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
import nats
from nats.js.api import ConsumerConfig, StreamConfig
from sqlalchemy import Column, String, Table, Uuid
from sqlalchemy.dialects.postgresql import insert
from stats import print_row

from shared.clock import SystemClock
from shared.db import make_connection_factory, make_engine, make_metadata
from shared.embedded import EmbeddedNats, EmbeddedPostgres
from shared.logging import LogFormat
from shared.logging import configure as configure_logging
from shared.messaging import MessageBus
from shared.messaging.events import PackDepleted
from shared.messaging.tables import kernel_metadata
from shared.settings import ServiceSettings

bench_metadata = make_metadata()
effects = Table(
    "effects",
    bench_metadata,
    Column("event_id", Uuid, primary_key=True),
    Column("student_id", String(50)),
)


async def kernel_hop(nats_url: str, database_url: str, samples: int, burst: int):
    engine = make_engine(database_url, pool_size=20)
    async with engine.begin() as connection:
        await connection.run_sync(kernel_metadata.create_all)
        await connection.run_sync(bench_metadata.create_all)
    settings = ServiceSettings(
        service_name="bench",
        dev_mode=True,
        database_url=database_url,
        nats_url=nats_url,
        nats_namespace="hop",
    )
    bus = MessageBus(
        settings=settings, connection_factory=make_connection_factory(engine), clock=SystemClock()
    )
    committed_at: dict[uuid.UUID, float] = {}
    applied: dict[uuid.UUID, asyncio.Future] = {}
    loop = asyncio.get_running_loop()

    @bus.consumers.on(PackDepleted, purpose="hop")
    async def apply(event_, uow, envelope):
        await uow.connection.execute(
            insert(effects).values(event_id=envelope.id, student_id=event_.student_id)
        )

    # The hop starts when the producer's transaction has committed (the relay is called right
    # after the database commit) and ends when the consumer's transaction has committed
    # (`process` returns right after it).
    relay_after_commit = bus.relay.after_commit

    def producer_committed(rows):
        for row in rows:
            committed_at[row["id"]] = time.perf_counter()
        relay_after_commit(rows)

    bus.relay.after_commit = producer_committed
    process = bus.consumers.process

    async def consumer_committed(consumer, envelope, **kwargs):
        result = await process(consumer, envelope, **kwargs)
        applied[envelope.id].set_result(time.perf_counter())
        return result

    bus.consumers.process = consumer_committed
    await bus.start()

    async def one() -> float:
        async with bus.uow() as uow:
            envelope = uow.record(PackDepleted(pack_id=uuid.uuid4(), student_id="s", mentor_id="m"))
            applied[envelope.id] = loop.create_future()
            await uow.commit()
        return await applied[envelope.id] - committed_at[envelope.id]

    for _ in range(20):
        await one()
    latencies = [await one() for _ in range(samples)]

    started = time.perf_counter()
    semaphore = asyncio.Semaphore(16)

    async def bounded() -> float:
        async with semaphore:
            return await one()

    await asyncio.gather(*(bounded() for _ in range(burst)))
    throughput = burst / (time.perf_counter() - started)
    await bus.stop()
    await engine.dispose()
    return latencies, throughput


async def raw_jetstream(nats_url: str, samples: int, burst: int):
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    await js.add_stream(StreamConfig(name="RAW", subjects=["raw.>"], duplicate_window=120))
    psub = await js.pull_subscribe("raw.hop", durable="raw-hop", config=ConsumerConfig(ack_wait=30))

    async def one() -> float:
        started = time.perf_counter()
        await js.publish("raw.hop", b"x" * 400, headers={"Nats-Msg-Id": uuid.uuid4().hex})
        (message,) = await psub.fetch(1, timeout=5)
        await message.ack()
        return time.perf_counter() - started

    for _ in range(20):
        await one()
    latencies = [await one() for _ in range(samples)]

    started = time.perf_counter()
    publishing = asyncio.gather(*(js.publish("raw.hop", b"x" * 400) for _ in range(burst)))
    received = 0
    while received < burst:
        for message in await psub.fetch(64, timeout=5):
            await message.ack()
            received += 1
    await publishing
    throughput = burst / (time.perf_counter() - started)
    await nc.close()
    return latencies, throughput


async def raw_hop(nats_url: str, postgres_url: str, samples: int):
    """The same hop written by hand: a waiting nats-py pull consumer whose callback commits
    the inbox row and the effect with asyncpg. No framework, no pool, no ORM: the floor."""
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    await js.add_stream(StreamConfig(name="RAWHOP", subjects=["rawhop.>"], duplicate_window=120))
    psub = await js.pull_subscribe("rawhop.x", durable="raw-hop")
    connection = await asyncpg.connect(postgres_url)
    applied: asyncio.Queue[float] = asyncio.Queue()

    async def consume() -> None:
        while True:
            try:
                (message,) = await psub.fetch(1, timeout=5)
            except TimeoutError:
                continue
            event_id = uuid.UUID(message.headers["Nats-Msg-Id"])
            async with connection.transaction():
                await connection.execute(
                    "INSERT INTO inbox (consumer, event_id) VALUES ('raw', $1) "
                    "ON CONFLICT DO NOTHING",
                    event_id,
                )
                await connection.execute(
                    "INSERT INTO effects (event_id, student_id) VALUES ($1, 's')", event_id
                )
            applied.put_nowait(time.perf_counter())
            await message.ack()

    consumer = asyncio.create_task(consume())
    latencies = []
    for n in range(samples + 20):
        started = time.perf_counter()
        await js.publish("rawhop.x", b"x" * 400, headers={"Nats-Msg-Id": str(uuid.uuid4())})
        latency = await applied.get() - started
        if n >= 20:
            latencies.append(latency)
    consumer.cancel()
    await connection.close()
    await nc.close()
    return latencies


async def raw_request_reply(nats_url: str, samples: int):
    nc = await nats.connect(nats_url)

    async def echo(message) -> None:
        await message.respond(message.data)

    await nc.subscribe("raw.echo", cb=echo)
    for _ in range(20):
        await nc.request("raw.echo", b"ping", timeout=2)
    latencies = []
    for _ in range(samples):
        started = time.perf_counter()
        await nc.request("raw.echo", b"x" * 200, timeout=2)
        latencies.append(time.perf_counter() - started)
    await nc.close()
    return latencies


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--burst", type=int, default=2000)
    parser.add_argument(
        "--fast-postgres",
        action="store_true",
        help="fsync off: isolates the messaging cost from disk flushes",
    )
    args = parser.parse_args()
    # JSON at WARNING: the two info lines per event (applied, published) are measured on
    # their own by bench/log_lines.py; here they would bury the figures.
    configure_logging(level="WARNING", log_format=LogFormat.json)
    with (
        tempfile.TemporaryDirectory() as workdir,
        EmbeddedNats(Path(workdir) / "nats") as nats_server,
        EmbeddedPostgres(Path(workdir) / "pg", fast=args.fast_postgres) as postgres,
    ):
        admin = await asyncpg.connect(postgres.url())
        await admin.execute("CREATE DATABASE bench")
        await admin.close()
        raw_js, raw_js_rate = await raw_jetstream(nats_server.url, args.samples, args.burst)
        raw_rr = await raw_request_reply(nats_server.url, args.samples)
        hop, hop_rate = await kernel_hop(
            nats_server.url, postgres.sqlalchemy_url("bench"), args.samples, args.burst
        )
        floor = await raw_hop(nats_server.url, postgres.url("bench"), args.samples)
    print(
        f"\nevent hop benchmark: {args.samples} sequential samples, burst of {args.burst}"
        " with 16 concurrent producers\n"
    )
    print_row("raw nats-py JetStream publish -> pull-consume", raw_js, raw_js_rate)
    print_row("raw nats-py request-reply", raw_rr)
    print_row("raw hop: nats-py pull + asyncpg inbox+effect", floor)
    print_row("event hop: commit -> consumer's committed effect", hop, hop_rate)
    p50 = lambda samples: sorted(samples)[len(samples) // 2]  # noqa: E731
    print(
        f"\nratio event hop p50 / raw JetStream p50: {p50(hop) / p50(raw_js):.2f}x (target <= 3x)"
    )
    print(f"ratio event hop p50 / raw hand-written hop p50: {p50(hop) / p50(floor):.2f}x")
    print(f"ratio raw hand-written hop p50 / raw JetStream p50: {p50(floor) / p50(raw_js):.2f}x")


if __name__ == "__main__":
    asyncio.run(main())
