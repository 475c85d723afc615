"""The floors bench/event_hop.py holds the kernel's hop against, written by hand on nats-py and
asyncpg (no framework, no pool for the consumer, no ORM): a bare JetStream round trip, a bare
request-reply, the hop one event at a time, and the hop as a burst of batches."""

import asyncio
import json
import time
import uuid
from collections.abc import Awaitable, Callable

import asyncpg
import nats
from nats.js.api import ConsumerConfig, StreamConfig

PRODUCERS = 16  # concurrent producers in a burst


async def run_burst(one: Callable[[], Awaitable[object]], events: int) -> float:
    """Events per second for `events` calls of `one` by `PRODUCERS` concurrent producers."""
    started = time.perf_counter()
    semaphore = asyncio.Semaphore(PRODUCERS)

    async def bounded() -> None:
        async with semaphore:
            await one()

    await asyncio.gather(*(bounded() for _ in range(events)))
    return events / (time.perf_counter() - started)


async def raw_jetstream(nats_url: str, samples: int, burst: int) -> tuple[list[float], float]:
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


async def raw_request_reply(nats_url: str, samples: int) -> list[float]:
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


class HandWrittenHop:
    """The hop one event at a time: a publish, then a waiting nats-py pull consumer whose
    callback commits the inbox row and the effect with asyncpg, then acks."""

    def __init__(self, nats_url: str, postgres_url: str) -> None:
        self._nats_url = nats_url
        self._postgres_url = postgres_url
        self._applied: asyncio.Queue[float] = asyncio.Queue()

    async def start(self) -> None:
        self._nc = await nats.connect(self._nats_url)
        self._js = self._nc.jetstream()
        await self._js.add_stream(
            StreamConfig(name="RAWHOP", subjects=["rawhop.>"], duplicate_window=120)
        )
        self._psub = await self._js.pull_subscribe("rawhop.x", durable="raw-hop")
        self._connection = await asyncpg.connect(self._postgres_url)
        self._consumer = asyncio.create_task(self._consume())

    async def stop(self) -> None:
        self._consumer.cancel()
        await self._connection.close()
        await self._nc.close()

    async def _consume(self) -> None:
        connection = self._connection
        while True:
            try:
                (message,) = await self._psub.fetch(1, timeout=5)
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
            self._applied.put_nowait(time.perf_counter())
            await message.ack()

    async def one(self) -> float:
        started = time.perf_counter()
        await self._js.publish("rawhop.x", b"x" * 400, headers={"Nats-Msg-Id": str(uuid.uuid4())})
        return await self._applied.get() - started


class HandWrittenBurst:
    """The hop as a burst: each producer commits an outbox row with asyncpg and publishes it;
    one waiting nats-py pull consumer takes up to `batch_size` ready messages and applies them
    in one transaction (one inbox statement, one effect INSERT each, as the kernel's handlers
    do), then acks each."""

    def __init__(self, nats_url: str, postgres_url: str, batch_size: int) -> None:
        self._nats_url = nats_url
        self._postgres_url = postgres_url
        self._batch_size = batch_size
        self._applied: dict[uuid.UUID, asyncio.Future[None]] = {}

    async def start(self) -> None:
        self._nc = await nats.connect(self._nats_url)
        self._js = self._nc.jetstream()
        await self._js.add_stream(StreamConfig(name="RAWBURST", subjects=["rawburst.>"]))
        self._psub = await self._js.pull_subscribe("rawburst.x", durable="raw-burst")
        self._connection = await asyncpg.connect(self._postgres_url)
        # The kernel's outbox table without its rows: the kernel's sweeper would publish them.
        await self._connection.execute(
            "CREATE TABLE raw_outbox (LIKE outbox INCLUDING DEFAULTS INCLUDING INDEXES)"
        )
        self._producers = await asyncpg.create_pool(
            self._postgres_url, min_size=PRODUCERS, max_size=PRODUCERS
        )
        self._consumer = asyncio.create_task(self._consume())

    async def stop(self) -> None:
        self._consumer.cancel()
        await self._producers.close()
        await self._connection.close()
        await self._nc.close()

    async def _consume(self) -> None:
        connection = self._connection
        while True:
            try:
                messages = await self._psub.fetch(self._batch_size, timeout=5)
            except TimeoutError:
                continue
            event_ids = [uuid.UUID(message.headers["Nats-Msg-Id"]) for message in messages]
            async with connection.transaction():
                fresh = await connection.fetch(
                    "INSERT INTO inbox (consumer, event_id) SELECT 'raw-burst', unnest($1::uuid[])"
                    " ON CONFLICT DO NOTHING RETURNING event_id",
                    event_ids,
                )
                for row in fresh:
                    await connection.execute(
                        "INSERT INTO effects (event_id, student_id) VALUES ($1, 's')",
                        row["event_id"],
                    )
            for event_id in event_ids:
                self._applied.pop(event_id).set_result(None)
            for message in messages:
                await message.ack()

    async def one(self) -> None:
        event_id = uuid.uuid4()
        applied = self._applied[event_id] = asyncio.get_running_loop().create_future()
        body = json.dumps({"id": str(event_id), "type": "x", "data": {"student_id": "s"}})
        async with self._producers.acquire() as producer, producer.transaction():
            await producer.execute(
                "INSERT INTO raw_outbox (id, subject, envelope) VALUES ($1, 'x', $2::jsonb)",
                event_id,
                body,
            )
        await self._js.publish("rawburst.x", body.encode(), headers={"Nats-Msg-Id": str(event_id)})
        await applied
