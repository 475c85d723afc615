"""`POST /v1/sessions` with 32 concurrent students against the raw floor of the same work.

Starts embedded NATS and Postgres, migrates a packs and a booking database and runs both
services in this process (their lifespans: brokers, responders, relays). Every student has a
large pack; each booking takes a free 30-minute slot of one mentor (no two requests ask for the
same time, so every booking succeeds). The service path is the whole use case over the ASGI
transport: auth, validation, the availability re-check, `packs.credit.reserve` over NATS, the
insert under the exclusion constraint, reminders, outbox rows and the availability summary.
The floor, at the same concurrency, is a bare nats-py request to the same packs responder plus
one asyncpg transaction inserting the session under the same exclusion constraint and its
outbox row.

    uv run python bench/booking_sessions.py [--bookings 1536] [--students 32] [--rounds 4]
"""

import argparse
import asyncio
import itertools
import json
import os
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx
import nats

from booking.config import Settings as BookingSettings
from booking.main import ALEMBIC_INI as BOOKING_INI
from booking.main import create_app as create_booking
from packs.config import Settings as PacksSettings
from packs.main import ALEMBIC_INI as PACKS_INI
from packs.main import create_app as create_packs
from shared.auth_dev import DEV_JWT_SECRET, mint_dev_token
from shared.clock import FakeClock
from shared.embedded import EmbeddedPostgres
from shared.messaging import packs_requests as contract
from shared.messaging.events import PackShape
from shared.messaging.stream import subject_for

sys.path.insert(0, str(Path(__file__).parent))
from harness import NAMESPACE, create_databases, seed_packs, with_embedded  # noqa: E402
from stats import print_row, rotated  # noqa: E402

NOW = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
SERVICE_MENTOR, FLOOR_MENTOR = "mentor-service", "mentor-floor"
ALL_DAY = [{"start": "00:00", "end": "24:00"}]
PROFILE = {
    "display_name": "Bench Mentor",
    "timezone": "UTC",
    "weekly_hours": {d: ALL_DAY for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
    "notice_minutes": 0,
    "horizon_days": 90,
    "session_durations": [30],
}
FLOOR_INSERT = """
INSERT INTO sessions (session_id, mentor_id, student_id, pack_id, starts_at, ends_at, blocked,
    status, topic, join_url, mentor_timezone, idempotency_key, request_fingerprint, created_at,
    updated_at)
VALUES ($1, $2, $3, $4, $5, $6, tstzrange($5, $6), 'scheduled', $7, $8, 'UTC', $9, $9, $10, $10)
ON CONFLICT DO NOTHING RETURNING session_id"""
# Inserted as published: the floor pays for the row, the relay leaves its stand-in envelope alone.
OUTBOX_INSERT = """INSERT INTO outbox (id, subject, envelope, published_at)
VALUES ($1, 'session.booked', $2, now())"""


async def run(args, nats_url: str, postgres: EmbeddedPostgres) -> None:
    await create_databases(postgres, {"packs_bench": PACKS_INI, "booking_bench": BOOKING_INI})
    common = dict(
        dev_mode=True,
        nats_url=nats_url,
        nats_namespace=NAMESPACE,
        jobs_enabled=False,
        log_level="WARNING",
        rate_limits_enabled=False,  # 32 students book as fast as they can
    )
    clock = FakeClock(NOW)
    packs = create_packs(
        PacksSettings(
            database_url=postgres.sqlalchemy_url("packs_bench"),
            default_capacity=10_000,
            **common,
        ),
        clock=clock,
    )
    booking = create_booking(
        BookingSettings(
            database_url=postgres.sqlalchemy_url("booking_bench"),
            request_timeout_seconds=10,  # measure slow replies rather than fail on them
            max_requests_in_flight=0,  # measure the path at 32 students, not the admission bound
            **common,
        ),
        clock=clock,
    )
    service_students = [f"service-student-{n}" for n in range(args.students)]
    floor_students = [f"floor-student-{n}" for n in range(args.students)]
    slots = itertools.count()  # every request a fresh half hour: no conflicts
    reserve_subject = subject_for(NAMESPACE, contract.CREDIT_RESERVE)

    async with (
        packs.router.lifespan_context(packs),
        booking.router.lifespan_context(booking),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=booking), base_url="http://b", timeout=30
        ) as client,
    ):
        for students, mentor in (
            (service_students, SERVICE_MENTOR),
            (floor_students, FLOOR_MENTOR),
        ):
            await seed_packs(
                packs.state.runtime,
                packs.state.deps,
                students,
                mentor=mentor,
                paid_at=NOW,
                pack=PackShape(sessions_count=100_000, session_minutes=30, validity_days=365),
            )
        for mentor in (SERVICE_MENTOR, FLOOR_MENTOR):
            token = mint_dev_token(user_id=mentor, role="mentor", secret=DEV_JWT_SECRET)
            saved = await client.put(
                "/v1/mentors/me", json=PROFILE, headers={"Authorization": f"Bearer {token}"}
            )
            assert saved.status_code == 200, saved.text
        tokens = {
            s: mint_dev_token(user_id=s, role="student", secret=DEV_JWT_SECRET)
            for s in service_students
        }
        pool = await asyncpg.create_pool(postgres.url("booking_bench"), min_size=10, max_size=10)
        nc = await nats.connect(nats_url)

        def next_start() -> datetime:
            return NOW + timedelta(hours=1, minutes=30 * next(slots))

        async def book_service(student: str) -> None:
            response = await client.post(
                "/v1/sessions",
                json={
                    "mentor_id": SERVICE_MENTOR,
                    "starts_at": next_start().isoformat(),
                    "duration_minutes": 30,
                    "topic": "benchmarking the booking path",
                },
                headers={
                    "Authorization": f"Bearer {tokens[student]}",
                    "Idempotency-Key": uuid.uuid4().hex,
                },
            )
            if response.status_code != 201:
                raise RuntimeError(response.text)

        async def book_floor(student: str) -> None:
            starts_at = next_start()
            session_id = uuid.uuid4()
            request = contract.CreditReserveRequest(
                session_id=session_id,
                student_id=student,
                mentor_id=FLOOR_MENTOR,
                session_starts_at=starts_at,
            )
            reply = json.loads(
                (await nc.request(reserve_subject, request.model_dump_json().encode(), 10)).data
            )
            if not reply["ok"]:
                raise RuntimeError(reply)
            now = datetime.now(UTC)
            async with pool.acquire() as connection, connection.transaction():
                inserted = await connection.fetchval(
                    FLOOR_INSERT,
                    session_id,
                    FLOOR_MENTOR,
                    student,
                    uuid.UUID(reply["data"]["pack_id"]),
                    starts_at,
                    starts_at + timedelta(minutes=30),
                    "benchmarking the booking path",
                    f"http://app/{session_id}",
                    session_id.hex,
                    now,
                )
                if inserted is None:
                    raise RuntimeError("conflict")
                await connection.execute(
                    OUTBOX_INSERT, uuid.uuid4(), json.dumps({"session_id": str(session_id)})
                )

        async def measure(book, students: list[str], count: int):
            per_student = count // len(students)
            latencies: list[float] = []

            async def one_student(student: str) -> None:
                for _ in range(per_student):
                    started = time.perf_counter()
                    await book(student)
                    latencies.append(time.perf_counter() - started)

            started = time.perf_counter()
            await asyncio.gather(*(one_student(s) for s in students))
            return latencies, time.perf_counter() - started

        variants = {
            "service": (book_service, service_students),
            "floor": (book_floor, floor_students),
        }
        for book, students in variants.values():
            await measure(book, students, args.students * 2)
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            await measure(book_service, service_students, args.students * 2)
            profiler.disable()
            pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "tottime")).print_stats(40)
            return
        samples = {name: [] for name in variants}
        seconds = dict.fromkeys(variants, 0.0)
        names = list(variants)
        for round_ in range(args.rounds):
            for name in rotated(names, round_):
                book, students = variants[name]
                latencies, elapsed = await measure(book, students, args.bookings // args.rounds)
                samples[name] += latencies
                seconds[name] += elapsed
        await nc.close()
        await pool.close()

    def rate(name: str) -> float:
        return len(samples[name]) / seconds[name]

    def p99(name: str) -> float:
        return sorted(samples[name])[int(len(samples[name]) * 0.99) - 1] * 1000

    print(
        f"\nbookings: {len(samples['service'])} per variant in {args.rounds} interleaved rounds,"
        f" {args.students} concurrent students, durable commits\n"
    )
    print_row("floor: nats-py reserve + asyncpg insert+outbox", samples["floor"], rate("floor"))
    print_row("POST /v1/sessions (service, ASGI)", samples["service"], rate("service"))
    print(
        f"\nservice {rate('service'):.0f}/s = {rate('service') / rate('floor'):.0%} of the floor"
        f" (target >= 40%); p99 {p99('service'):.1f} ms (target <= 50 ms)"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bookings", type=int, default=1536)
    parser.add_argument("--students", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--profile", action="store_true", help="profile 64 service bookings")
    args = parser.parse_args()
    await with_embedded(run, args)


if __name__ == "__main__":
    asyncio.run(main())
