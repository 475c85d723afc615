"""The mentor directory at 10,000 mentors: indexing rate from events, and query latency over
HTTP against the same SQL straight on asyncpg.

Starts embedded NATS and Postgres, migrates a search database, and publishes every mentor's
facts (`mentor.updated`, `product.updated`, `mentor.capacity_changed`) into JetStream first.
Then the real search service starts under uvicorn in its own process and drains the stream:
the indexing rate is events / seconds from its start until its inbox has claimed them all.
Last, one caller on a keep-alive connection asks `GET /v1/mentors/search` for a text query with
three filters (facets always come back), interleaved with the floor: the very statements the
embedded backend ran for that query (captured from SQLAlchemy), replayed in one REPEATABLE
READ transaction on a bare asyncpg connection.

    uv run python bench/search_directory.py [--mentors 10000] [--queries 2000] [--rounds 4]
                                             [--fast-postgres]
"""

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import httpx
import nats
from sqlalchemy import event

from search.adapters.embedded_backend import EmbeddedBackend
from search.entrypoints.api import to_query
from search.entrypoints.schemas import MentorSearchParams
from search.main import ALEMBIC_INI
from shared.db import make_connection_factory, make_engine
from shared.embedded import EmbeddedPostgres
from shared.messaging.events import (
    Envelope,
    MentorCapacityChanged,
    MentorUpdated,
    ProductUpdated,
)
from shared.messaging.stream import domain_stream, stream_name, subject_for

sys.path.insert(0, str(Path(__file__).parent))
from harness import NAMESPACE, create_databases, free_port, start_server, with_embedded  # noqa: E402
from stats import durability, p50, print_row  # noqa: E402

POOL_SIZE = 10
QUERY = {
    "q": "python",
    "job_family": "software_engineering",
    "max_price": 20_000,
    "accepting_students": "true",
}
FAMILIES = ["software_engineering", "data_science", "product_management", "design"]
SPECIALTIES = [
    "python", "kubernetes", "rust", "go", "leadership", "interviews", "sql", "figma",
    "system design", "machine learning", "react", "career growth", "aws", "security",
]  # fmt: skip
WORDS = ["mentor", "engineer", "careers", "growth", "teams", "scale", "platform", "data"]


def facts_of(n: int, rng: random.Random) -> list:
    mentor = f"mentor-{n:05d}"
    return [
        MentorUpdated(
            mentor_id=mentor,
            display_name=f"Mentor {n}",
            title=f"{rng.choice(['Senior', 'Staff', 'Lead'])} {rng.choice(WORDS)}",
            company=f"Company {rng.randint(1, 500)}",
            bio=" ".join(rng.choices(WORDS, k=12)),
            specialties=rng.sample(SPECIALTIES, rng.randint(1, 3)),
            job_family=rng.choice(FAMILIES),
            years_experience=rng.randint(0, 25),
            timezone="Europe/London",
        ),
        ProductUpdated(
            product_id=uuid.uuid4(),
            mentor_id=mentor,
            title="Four sessions",
            price_amount=rng.randrange(2_000, 40_000, 100),
            currency="EUR",
            sessions_count=4,
            session_minutes=60,
            validity_days=30,
            active=True,
        ),
        MentorCapacityChanged(
            mentor_id=mentor, capacity=10, live_seats=(seats := rng.randint(0, 10)),
            open_seats=10 - seats,
        ),
    ]  # fmt: skip


async def publish_facts(nats_url: str, mentors: int) -> int:
    """Every mentor's facts into the stream, before search runs; returns how many."""
    rng = random.Random(42)
    connection = await nats.connect(nats_url)
    stream = connection.jetstream()
    declared = domain_stream(NAMESPACE)
    await stream.add_stream(replace(declared.config, subjects=list(declared.subjects)))
    count = 0
    for n in range(mentors):
        for fact in facts_of(n, rng):
            envelope = Envelope.wrap(fact, producer="bench", occurred_at=datetime.now(UTC))
            await stream.publish(
                subject_for(NAMESPACE, envelope.type),
                envelope.model_dump_json().encode(),
                stream=stream_name(NAMESPACE),
                headers={"Nats-Msg-Id": str(envelope.id)},
            )
            count += 1
    await connection.close()
    return count


async def wait_until_indexed(pg_url: str, expected: int, server: subprocess.Popen) -> None:
    connection = await asyncpg.connect(pg_url)
    try:
        while await connection.fetchval("SELECT count(*) FROM inbox") < expected:
            if server.poll() is not None:
                raise RuntimeError(f"search exited with {server.returncode}")
            await asyncio.sleep(0.1)
    finally:
        await connection.close()


async def captured_statements(database_url: str) -> list[tuple[str, tuple]]:
    """The statements (and parameters) the embedded backend runs for QUERY."""
    engine = make_engine(database_url, pool_size=1)
    seen: list[tuple[str, tuple]] = []

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def capture(connection, cursor, statement, parameters, context, executemany) -> None:
        seen.append((statement, tuple(parameters)))

    backend = EmbeddedBackend(make_connection_factory(engine))
    query = to_query(MentorSearchParams(**QUERY), now=datetime.now(UTC))
    page = await backend.search(query)
    await engine.dispose()
    assert page.total > 0, "the bench query must match some mentors"
    return [
        (sql, params)
        for sql, params in seen
        if not sql.lstrip()
        .upper()
        .startswith(("BEGIN", "SET", "SHOW", "SELECT PG_", "SELECT CURRENT"))
    ]


async def floor_query(connection: asyncpg.Connection, statements) -> None:
    async with connection.transaction(isolation="repeatable_read"):
        for sql, params in statements:
            await connection.fetch(sql, *params)


async def run(args, nats_url: str, postgres: EmbeddedPostgres) -> None:
    await create_databases(postgres, {"search_bench": ALEMBIC_INI})
    database_url = postgres.sqlalchemy_url("search_bench")

    events = await publish_facts(nats_url, args.mentors)
    port = free_port()
    started = time.perf_counter()
    server = start_server(
        "search",
        port=port,
        database_url=database_url,
        nats_url=nats_url,
        database_pool_size=str(POOL_SIZE),
        # Rate limits off: one caller asking 2,000 times meets the directory's 10/s limit at
        # once; the limiter's own cost is bench/limits_overhead.py's subject.
        rate_limits_enabled="false",
    )
    try:
        await wait_until_indexed(postgres.url("search_bench"), events, server)
        indexing_seconds = time.perf_counter() - started
        print(
            f"indexing: {events} events in {indexing_seconds:.1f} s from service start"
            f" = {events / indexing_seconds:,.0f} events/s (target >= 2,000/s)",
            flush=True,
        )
        statements = await captured_statements(database_url)
        floor = await asyncpg.connect(postgres.url("search_bench"))
        http_samples: list[float] = []
        floor_samples: list[float] = []
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            total = (await client.get("/v1/mentors/search", params=QUERY)).json()["total"]
            if os.environ.get("BENCH_SHOW_METRICS"):
                for line in (await client.get("/metrics")).text.splitlines():
                    if "handler_seconds_sum" in line or "handler_seconds_count" in line:
                        print(line)

            async def http_once() -> float:
                begun = time.perf_counter()
                response = await client.get("/v1/mentors/search", params=QUERY)
                elapsed = time.perf_counter() - begun
                if response.status_code != 200:
                    raise RuntimeError(response.text)
                return elapsed

            async def floor_once() -> float:
                begun = time.perf_counter()
                await floor_query(floor, statements)
                return time.perf_counter() - begun

            for _ in range(100):  # warm-up: caches, prepared statements, JIT of nothing
                await http_once()
                await floor_once()
            per_round = args.queries // args.rounds
            for round_ in range(args.rounds):
                order = [http_once, floor_once] if round_ % 2 == 0 else [floor_once, http_once]
                for variant in order:
                    target = http_samples if variant is http_once else floor_samples
                    for _ in range(per_round):
                        target.append(await variant())
        await floor.close()
    finally:
        server.terminate()
        server.wait(timeout=30)

    print(
        f"\nsearch directory: {args.mentors} mentors, {events} events,"
        f" Postgres with {durability(args.fast_postgres)}"
    )
    print(
        f"\nquery {json.dumps(QUERY)} + facets: {total} matches,"
        f" one caller, {len(http_samples)} requests each"
    )
    print_row("floor: same SQL on one asyncpg connection", floor_samples)
    print_row("GET /v1/mentors/search over HTTP (uvicorn)", http_samples)
    http_p50 = p50(http_samples) * 1000
    floor_p50 = p50(floor_samples) * 1000
    print(
        f"\nHTTP p50 {http_p50:.2f} ms (target <= 10 ms); ratio HTTP p50 / floor p50:"
        f" {http_p50 / floor_p50:.2f}x (target <= 2x)"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentors", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--fast-postgres", action="store_true", help="fsync off")
    args = parser.parse_args()
    await with_embedded(run, args, fast=args.fast_postgres)


if __name__ == "__main__":
    asyncio.run(main())
