"""`packs.credit.reserve` over NATS: the packs responder against a bare nats-py + asyncpg floor.

Starts embedded NATS and Postgres, migrates a packs database, and runs the real packs service
(its lifespan: broker, responders, outbox relay). 16 concurrent callers, each booking for its
own student (so callers never wait on each other's row locks), send reserve requests with a
plain nats-py client; the same callers then hit the floor: a bare nats-py responder that runs
the same SQL transaction (same statements, same locks) directly on an asyncpg pool.

    uv run python bench/packs_reserve.py [--requests 3072] [--callers 16] [--rounds 6]
                                          [--fast-postgres]
"""

import argparse
import asyncio
import json
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import nats

from packs.config import Settings
from packs.main import ALEMBIC_INI, create_app
from shared.embedded import EmbeddedPostgres
from shared.messaging import packs_requests as contract
from shared.messaging.events import PackShape
from shared.messaging.stream import subject_for

sys.path.insert(0, str(Path(__file__).parent))
from harness import NAMESPACE, create_databases, seed_packs, with_embedded  # noqa: E402
from stats import durability, p50, print_row, rotated  # noqa: E402

MENTOR = "mentor-bench"
POOL_SIZE = 10
FLOOR_SUBJECT = "bench.floor.credit.reserve"

# The two statements the packs service issues for one reserve (adapters/reservations.py).
LOCK_PAIR = """
SELECT packs.id, packs.seat_id, packs.student_id, packs.mentor_id, packs.status,
       packs.sessions_total, packs.sessions_used, packs.sessions_reserved, packs.expires_at,
       live_seat.id AS live_seat_id, live_seat.status AS live_seat_status,
       session_credit.status AS credit_status, session_credit.pack_id AS credit_pack_id,
       session_credit.student_id AS credit_student_id,
       session_credit.mentor_id AS credit_mentor_id
FROM packs
LEFT OUTER JOIN seats AS live_seat ON live_seat.student_id = packs.student_id
     AND live_seat.mentor_id = packs.mentor_id AND live_seat.status != 'released'
LEFT OUTER JOIN credits AS session_credit ON session_credit.session_id = $1
WHERE packs.student_id = $2 AND packs.mentor_id = $3
ORDER BY packs.expires_at, packs.id FOR UPDATE OF packs"""
RESERVE = """
WITH new_credit AS (
    INSERT INTO credits (session_id, pack_id, student_id, mentor_id, status, session_starts_at,
                         reserved_at, created_at)
    VALUES ($1, $2, $3, $4, 'reserved', $5, $6, $6)
    ON CONFLICT (session_id) DO NOTHING RETURNING credits.pack_id)
UPDATE packs SET sessions_reserved = packs.sessions_reserved + 1
WHERE packs.id = (SELECT new_credit.pack_id FROM new_credit) RETURNING packs.id"""


def _refused(code: str) -> bytes:
    return json.dumps({"ok": False, "error": {"code": code, "detail": ""}}).encode()


async def floor_reserve(pool: asyncpg.Pool, body: bytes) -> bytes:
    """The same transaction as the service, written by hand on asyncpg."""
    request = json.loads(body)
    session_id = uuid.UUID(request["session_id"])
    student, mentor = request["student_id"], request["mentor_id"]
    starts_at = datetime.fromisoformat(request["session_starts_at"])
    now = datetime.now(UTC)
    async with pool.acquire() as connection, connection.transaction():
        packs = await connection.fetch(LOCK_PAIR, session_id, student, mentor)
        if not packs or packs[0]["live_seat_status"] != "active":
            return _refused("PACK_NOT_FOUND" if not packs else "SEAT_NOT_ACTIVE")
        room = [
            p
            for p in packs
            if p["status"] == "active"
            and now < p["expires_at"]
            and starts_at < p["expires_at"]
            and p["sessions_total"] - p["sessions_used"] - p["sessions_reserved"] > 0
        ]
        if not room:
            return _refused("NO_REMAINING_SESSIONS")
        pack = room[0]
        if (
            await connection.fetchval(
                RESERVE, session_id, pack["id"], student, mentor, starts_at, now
            )
            is None
        ):
            return _refused("CREDIT_RELEASED")
    remaining = (
        sum(p["sessions_total"] - p["sessions_used"] - p["sessions_reserved"] for p in room) - 1
    )
    return json.dumps(
        {
            "ok": True,
            "data": {
                "session_id": str(session_id),
                "pack_id": str(pack["id"]),
                "pack_expires_at": pack["expires_at"].isoformat(),
                "remaining": remaining,
            },
        }
    ).encode()


async def measure(nats_url: str, subject: str, students: list[str], requests: int):
    """Latencies (s) of `requests` reserves from one caller per student, and the wall time."""
    caller = await nats.connect(nats_url)
    starts_at = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    per_caller = requests // len(students)
    latencies: list[float] = []

    async def calls(student: str) -> None:
        for _ in range(per_caller):
            body = json.dumps(
                {
                    "session_id": str(uuid.uuid4()),
                    "student_id": student,
                    "mentor_id": MENTOR,
                    "session_starts_at": starts_at,
                }
            ).encode()
            started = time.perf_counter()
            reply = await caller.request(subject, body, timeout=10)
            latencies.append(time.perf_counter() - started)
            if not json.loads(reply.data)["ok"]:
                raise RuntimeError(f"reserve refused: {reply.data!r}")

    started = time.perf_counter()
    await asyncio.gather(*(calls(student) for student in students))
    elapsed = time.perf_counter() - started
    await caller.close()
    return latencies, elapsed


async def run(args, nats_url: str, postgres: EmbeddedPostgres) -> None:
    await create_databases(postgres, {"packs_bench": ALEMBIC_INI})
    settings = Settings(
        dev_mode=True,
        database_url=postgres.sqlalchemy_url("packs_bench"),
        nats_url=nats_url,
        nats_namespace=NAMESPACE,
        jobs_enabled=False,
        database_pool_size=POOL_SIZE,
        log_level="WARNING",
        default_capacity=10_000,
    )
    app = create_app(settings)
    runtime = app.state.runtime
    service_students = [f"service-student-{n}" for n in range(args.callers)]
    floor_students = [f"floor-student-{n}" for n in range(args.callers)]
    service_subject = subject_for(NAMESPACE, contract.CREDIT_RESERVE)
    warmup = max(args.callers * 10, args.requests // 10)

    async with app.router.lifespan_context(app):
        # One large active pack (and seat) per student with the bench mentor.
        await seed_packs(
            runtime,
            app.state.deps,
            service_students + floor_students,
            mentor=MENTOR,
            paid_at=datetime.now(UTC),
            pack=PackShape(sessions_count=1_000_000, session_minutes=60, validity_days=30),
        )
        pool = await asyncpg.create_pool(
            postgres.url("packs_bench"), min_size=POOL_SIZE, max_size=POOL_SIZE
        )
        floor_nc = await nats.connect(nats_url)

        # The same bounded concurrency as the kernel's responders: one task per request, at
        # most the pool's size in flight.
        slots = asyncio.Semaphore(POOL_SIZE)

        async def serve(message) -> None:
            try:
                await message.respond(await floor_reserve(pool, message.data))
            finally:
                slots.release()

        async def concurrent(message) -> None:
            await slots.acquire()
            asyncio.create_task(serve(message))  # noqa: RUF006 - the semaphore tracks them

        await floor_nc.subscribe(FLOOR_SUBJECT, queue="floor", cb=concurrent)

        variants = {
            "service": (service_subject, service_students),
            "floor": (FLOOR_SUBJECT, floor_students),
        }
        for subject, students in variants.values():
            await measure(nats_url, subject, students, warmup)
        # Short interleaved rounds, rotating the order, so that load from elsewhere on the
        # machine falls on every variant alike.
        samples = {name: [] for name in variants}
        seconds = dict.fromkeys(variants, 0.0)
        names = list(variants)
        for round_ in range(args.rounds):
            for name in rotated(names, round_):
                subject, students = variants[name]
                latencies, elapsed = await measure(
                    nats_url, subject, students, args.requests // args.rounds
                )
                samples[name] += latencies
                seconds[name] += elapsed
        await floor_nc.close()
        await pool.close()

    def rate(name: str) -> float:
        return len(samples[name]) / seconds[name]

    print(
        f"\npacks.credit.reserve over NATS: {len(samples['service'])} requests per variant in"
        f" {args.rounds} interleaved rounds, {args.callers} concurrent callers,"
        f" Postgres with {durability(args.fast_postgres)}\n"
    )
    print_row("floor: bare nats-py + asyncpg transaction", samples["floor"], rate("floor"))
    print_row("packs responder (kernel, SQLAlchemy Core)", samples["service"], rate("service"))
    ratio = p50(samples["service"]) / p50(samples["floor"])
    print(f"\nratio packs p50 / floor p50: {ratio:.2f}x (target <= 1.5x)")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3072)
    parser.add_argument("--callers", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument(
        "--fast-postgres",
        action="store_true",
        help="fsync off: isolates the client-side cost from disk flushes",
    )
    args = parser.parse_args()
    await with_embedded(run, args, fast=args.fast_postgres)


if __name__ == "__main__":
    asyncio.run(main())
