"""Event hop: commit of a state change → the consumer's committed effect, over real JetStream.

Prints p50/p99 and throughput of the kernel's path (outbox → relay → JetStream → durable pull
consumer → inbox + effect + commit) and, on the same servers in the same run, the floors
(bench/event_hop_floors.py): a bare nats-py JetStream round trip, a bare request-reply, and
the same hop written by hand on nats-py + asyncpg, one event at a time and as a burst
(producers commit an outbox row then publish; the consumer applies what it pulled in one
transaction). The kernel and the hand-written hop run in interleaved rounds, so a busy
machine weighs on both alike. Ends with the issue 19 targets: hop p50 <= 1.5x the
hand-written hop, burst >= 50% of the hand-written burst.

    uv run python bench/event_hop.py [--samples 300] [--burst 2000] [--batch-size 50]
"""

import argparse
import asyncio
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
from event_hop_floors import (
    PRODUCERS,
    HandWrittenBurst,
    HandWrittenHop,
    raw_jetstream,
    raw_request_reply,
    run_burst,
)
from sqlalchemy import Column, String, Table, Uuid
from sqlalchemy.dialects.postgresql import insert
from stats import p50, print_row, rotated

from shared.clock import SystemClock
from shared.db import make_connection_factory, make_engine, make_metadata
from shared.embedded import EmbeddedNats, EmbeddedPostgres
from shared.logging import LogFormat
from shared.logging import configure as configure_logging
from shared.messaging import MessageBus, observe
from shared.messaging.events import PackDepleted
from shared.messaging.tables import kernel_metadata
from shared.settings import ServiceSettings

ROUNDS = 4

bench_metadata = make_metadata()
effects = Table(
    "effects",
    bench_metadata,
    Column("event_id", Uuid, primary_key=True),
    Column("student_id", String(50)),
)


def loadavg() -> str:
    with open("/proc/loadavg") as file:
        return file.read().strip()


class KernelHop:
    """A MessageBus whose consumer inserts one effect row per event through the inbox.

    The hop starts when the producer's transaction has committed (the relay is called right
    after the database commit) and ends when the consumer's transaction has committed
    (`observe.event_handled` runs right after it, alone or in a batch)."""

    def __init__(self, nats_url: str, database_url: str, batch_size: int) -> None:
        self._engine = make_engine(database_url, pool_size=20)
        settings = ServiceSettings(
            service_name="bench",
            dev_mode=True,
            database_url=database_url,
            nats_url=nats_url,
            nats_namespace="hop",
            consumer_batch_size=batch_size,
        )
        self.bus = MessageBus(
            settings=settings,
            connection_factory=make_connection_factory(self._engine),
            clock=SystemClock(),
        )
        self._committed_at: dict[uuid.UUID, float] = {}
        self._applied: dict[uuid.UUID, asyncio.Future[float]] = {}

        @self.bus.consumers.on(PackDepleted, purpose="hop")
        async def apply(event_, uow, envelope):
            await uow.connection.execute(
                insert(effects).values(event_id=envelope.id, student_id=event_.student_id)
            )

        relay_after_commit = self.bus.relay.after_commit

        def producer_committed(rows):
            for row in rows:
                self._committed_at[row["id"]] = time.perf_counter()
            relay_after_commit(rows)

        self.bus.relay.after_commit = producer_committed
        self._event_handled = observe.event_handled

    def _consumer_committed(self, **fields) -> None:
        self._applied.pop(uuid.UUID(fields["event_id"])).set_result(time.perf_counter())
        self._event_handled(**fields)

    async def start(self) -> None:
        async with self._engine.begin() as connection:
            await connection.run_sync(kernel_metadata.create_all)
            await connection.run_sync(bench_metadata.create_all)
        observe.event_handled = self._consumer_committed
        await self.bus.start()

    async def stop(self) -> None:
        await self.bus.stop()
        observe.event_handled = self._event_handled
        await self._engine.dispose()

    async def one(self) -> float:
        async with self.bus.uow() as uow:
            envelope = uow.record(PackDepleted(pack_id=uuid.uuid4(), student_id="s", mentor_id="m"))
            applied = self._applied[envelope.id] = asyncio.get_running_loop().create_future()
            await uow.commit()
        return await applied - self._committed_at.pop(envelope.id)


async def interleaved(args, kernel: KernelHop, hop: HandWrittenHop, burst: HandWrittenBurst):
    """Latencies and events per second of both hops, in rotated rounds."""
    sequential = {"kernel": kernel.one, "hand-written": hop.one}
    bursts = {"kernel": kernel.one, "hand-written": burst.one}
    latencies: dict[str, list[float]] = {name: [] for name in sequential}
    seconds = dict.fromkeys(bursts, 0.0)
    for one in (*sequential.values(), burst.one):
        for _ in range(20):
            await one()
    for round_ in range(ROUNDS):
        for name in rotated(list(sequential), round_):
            one = sequential[name]
            latencies[name] += [await one() for _ in range(args.samples // ROUNDS)]
        for name in rotated(list(bursts), round_):
            seconds[name] += (args.burst // ROUNDS) / await run_burst(
                bursts[name], args.burst // ROUNDS
            )
    rates = {name: (args.burst // ROUNDS) * ROUNDS / seconds[name] for name in bursts}
    return latencies, rates


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--burst", type=int, default=2000)
    parser.add_argument(
        "--batch-size", type=int, default=50, help="the kernel's consumer_batch_size"
    )
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
        load_before = loadavg()
        raw_js, raw_js_rate = await raw_jetstream(nats_server.url, args.samples, args.burst)
        raw_rr = await raw_request_reply(nats_server.url, args.samples)
        kernel = KernelHop(nats_server.url, postgres.sqlalchemy_url("bench"), args.batch_size)
        hop = HandWrittenHop(nats_server.url, postgres.url("bench"))
        burst = HandWrittenBurst(nats_server.url, postgres.url("bench"), args.batch_size)
        for variant in (kernel, hop, burst):  # the kernel first: it creates the tables
            await variant.start()
        latencies, rates = await interleaved(args, kernel, hop, burst)
        for variant in (kernel, hop, burst):
            await variant.stop()
    print(
        f"\nevent hop benchmark: {args.samples} sequential samples and a burst of {args.burst}"
        f" ({PRODUCERS} concurrent producers) per variant in {ROUNDS} interleaved rounds;"
        f" batches of up to {args.batch_size}\n"
        f"/proc/loadavg before: {load_before}, after: {loadavg()}\n"
    )
    print_row("raw nats-py JetStream publish -> pull-consume", raw_js, raw_js_rate)
    print_row("raw nats-py request-reply", raw_rr)
    print_row(
        "hand-written hop: nats-py + asyncpg", latencies["hand-written"], rates["hand-written"]
    )
    print_row(
        "event hop: commit -> consumer's committed effect", latencies["kernel"], rates["kernel"]
    )
    hop_p50, floor_p50 = p50(latencies["kernel"]), p50(latencies["hand-written"])
    print(f"\nratio event hop p50 / raw JetStream p50: {hop_p50 / p50(raw_js):.2f}x")
    print(f"ratio hand-written hop p50 / raw JetStream p50: {floor_p50 / p50(raw_js):.2f}x")
    print(
        f"ratio event hop p50 / hand-written hop p50: {hop_p50 / floor_p50:.2f}x (target <= 1.5x)"
    )
    print(
        f"ratio event hop burst / hand-written burst: {rates['kernel'] / rates['hand-written']:.0%}"
        " (target >= 50%)"
    )


if __name__ == "__main__":
    asyncio.run(main())
