"""Availability of one mentor over 30 days with 200 sessions and 100 calendar busy intervals.

Two figures, each next to a floor measured in the same run:

- the pure computation (`booking.domain.availability.free_slots`: working hours in the mentor's
  zone, DST-aware, minus busy time with buffers, notice and horizon) against a naive floor
  that walks the same candidate slots precomputed in UTC with the same bisect check;
- `GET /v1/mentors/{id}/availability` through the whole service (in-process ASGI transport:
  routing, validation, its one SQL read, the calendar port, JSON) against `/healthz` on the
  same app and transport (the HTTP stack's own floor), and against the same SQL (the
  service's own statement text) on a bare asyncpg connection plus the same `free_slots`,
  measured in the same interleaved rounds (decision 0036).

Starts embedded NATS and Postgres, migrates a booking database and seeds it with SQL.

    uv run python bench/booking_availability.py [--calls 2000] [--requests 1000]
"""

import argparse
import asyncio
import os
import sys
import time
import uuid
from bisect import bisect_right
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx

from booking.adapters.bookings import MENTOR_TIME
from booking.config import Settings
from booking.domain.availability import BusyTime, Interval, Slot, blocked_by, free_slots
from booking.domain.calendar import CalendarBusy, CalendarStatus
from booking.domain.schedule import Hours, Schedule, Weekday
from booking.main import ALEMBIC_INI, create_app
from shared.clock import FakeClock
from shared.embedded import EmbeddedPostgres

sys.path.insert(0, str(Path(__file__).parent))
from harness import create_databases, with_embedded  # noqa: E402
from stats import p50, print_row  # noqa: E402

NOW = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)
MENTOR = "mentor-bench"
ZONE = "America/New_York"  # the range crosses the March 8 spring-forward
HOURS = (Hours.parse("08:00", "12:00"), Hours.parse("13:00", "21:00"))
BUFFER = timedelta(minutes=10)


def schedule() -> Schedule:
    return Schedule(
        ZONE,
        weekly={day: HOURS for day in Weekday},
        buffer_before=BUFFER,
        buffer_after=BUFFER,
        notice=timedelta(hours=2),
        horizon=timedelta(days=30),
        durations=(30, 60),
    )


def unbusy_slots(sched: Schedule) -> list[Slot]:
    """Every free hour-long slot over the 30 days when nothing is busy."""
    return free_slots(
        sched,
        start=NOW,
        end=NOW + timedelta(days=30),
        duration_minutes=60,
        busy=BusyTime([]),
        now=NOW,
        limit=None,
    )


def sessions_and_busy(sched: Schedule) -> tuple[list[Interval], list[Interval]]:
    """200 booked hours (with buffers) and 100 calendar busy intervals spread over 30 days."""
    everything = unbusy_slots(sched)
    # 30-minute sessions on the hour, in runs of five hours then four free (200 of the 360
    # hours), so their buffers never touch each other and free slots remain.
    half = timedelta(minutes=30)
    booked = [
        blocked_by(sched, s.start, s.start + half) for n, s in enumerate(everything) if n % 9 < 5
    ]
    calendar = [
        Interval(NOW + timedelta(hours=7 * n + 3), NOW + timedelta(hours=7 * n + 3, minutes=45))
        for n in range(100)
    ]
    return booked, calendar


def naive_floor(candidates: list[datetime], busy: BusyTime, length: timedelta) -> list[datetime]:
    """The floor: precomputed UTC candidates, the same bisect check, nothing else."""
    starts, ends = busy._starts, busy._ends  # noqa: SLF001 - the same merged arrays
    free = []
    for start in candidates:
        blocked_start, blocked_end = start - BUFFER, start + length + BUFFER
        i = bisect_right(ends, blocked_start)
        if i == len(ends) or starts[i] >= blocked_end:
            free.append(start)
    return free


def time_calls(fn, calls: int) -> list[float]:
    samples = []
    for _ in range(calls):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return samples


class BenchCalendar:
    """A connected calendar answering from memory: the port's cost, not Google's."""

    def __init__(self, busy: list[Interval]) -> None:
        self._busy = busy

    async def busy(self, mentor_id: str, during: Interval) -> CalendarBusy:
        return CalendarBusy(CalendarStatus.ok, [b for b in self._busy if b.overlaps(during)])


async def seed(postgres: EmbeddedPostgres, booked: list[Interval]) -> None:
    connection = await asyncpg.connect(postgres.url("booking_bench"))
    await connection.execute(
        """INSERT INTO mentors (mentor_id, display_name, title, company, bio, specialties,
               job_family, years_experience, timezone, accepting_students, weekly_hours,
               buffer_before_minutes, buffer_after_minutes, notice_minutes, horizon_days,
               session_durations, created_at, updated_at)
           VALUES ($1, 'Bench', '', '', '', '{}', '', 0, $2, true, $3::jsonb, 10, 10, 120, 30,
               '{30,60}', now(), now())""",
        MENTOR,
        ZONE,
        "{}",
    )
    spans = '[{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "21:00"}]'
    weekly = "{" + ", ".join(f'"{d.name}": {spans}' for d in Weekday) + "}"
    await connection.execute("UPDATE mentors SET weekly_hours = $1::jsonb", weekly)
    rows = [
        (
            uuid.uuid4(),
            MENTOR,
            f"student-{n}",
            uuid.uuid4(),
            b.start + BUFFER,
            b.end - BUFFER,
            asyncpg.Range(b.start, b.end),
            "scheduled",
            "a bench session topic",
            "http://app/join",
            ZONE,
            "key-" + str(n),
            "x",
            NOW,
            NOW,
        )
        for n, b in enumerate(booked)
    ]
    await connection.executemany(
        """INSERT INTO sessions (session_id, mentor_id, student_id, pack_id, starts_at, ends_at,
               blocked, status, topic, join_url, mentor_timezone, idempotency_key,
               request_fingerprint, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)""",
        rows,
    )
    await connection.close()


async def run(args, nats_url: str, postgres: EmbeddedPostgres) -> None:
    sched = schedule()
    booked, calendar = sessions_and_busy(sched)
    busy = BusyTime([*booked, *calendar])
    length = timedelta(minutes=60)

    def compute():
        return free_slots(
            sched,
            start=NOW,
            end=NOW + timedelta(days=30),
            duration_minutes=60,
            busy=busy,
            now=NOW,
        )

    slots = compute()
    candidates = [s.start for s in unbusy_slots(sched)]
    assert [s.start for s in slots] == naive_floor(candidates, busy, length)
    for _ in range(50):
        compute()
        naive_floor(candidates, busy, length)
    pure, floor = [], []
    for _ in range(4):  # interleaved rounds
        pure += time_calls(compute, args.calls // 4)
        floor += time_calls(lambda: naive_floor(candidates, busy, length), args.calls // 4)

    await create_databases(postgres, {"booking_bench": ALEMBIC_INI})
    url = postgres.sqlalchemy_url("booking_bench")
    await seed(postgres, booked)
    settings = Settings(
        dev_mode=True,
        database_url=url,
        nats_url=nats_url,
        nats_namespace="bench",
        jobs_enabled=False,
        log_level="WARNING",
        rate_limits_enabled=False,  # one client asks thousands of times a minute
    )
    app = create_app(settings, clock=FakeClock(NOW), calendar=BenchCalendar(calendar))
    params = {
        "from": NOW.isoformat(),
        "to": (NOW + timedelta(days=30)).isoformat(),
        "duration": 60,
        "tz": "Europe/Berlin",
    }
    http, health, raw_samples = [], [], []
    # The raw floor of the HTTP figure: the service's statement on a bare asyncpg connection
    # (no pool, no transaction) plus the same computation, no framework.
    raw = await asyncpg.connect(postgres.url("booking_bench"))
    raw_values = {
        "mentor_id": MENTOR,
        "student_id": "",
        "starts_at": NOW,
        "ends_at": NOW + timedelta(days=30),
        "now": NOW,
    }
    raw_args = [raw_values[name] for name in MENTOR_TIME.names]

    async def raw_availability() -> float:
        started = time.perf_counter()
        row = await raw.fetchrow(MENTOR_TIME.sql, *raw_args)
        taken = [Interval(s, e) for s, e in zip(row["busy_starts"], row["busy_ends"], strict=True)]
        found = free_slots(
            sched,
            start=NOW,
            end=NOW + timedelta(days=30),
            duration_minutes=60,
            busy=BusyTime(taken + calendar),
            now=NOW,
        )
        elapsed = time.perf_counter() - started
        assert len(found) == len(slots)
        return elapsed

    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://b") as client,
    ):

        async def timed(path: str, query: dict | None) -> float:
            started = time.perf_counter()
            response = await client.get(path, params=query)
            elapsed = time.perf_counter() - started
            assert response.status_code == 200, response.text
            return elapsed

        path = f"/v1/mentors/{MENTOR}/availability"
        body = (await client.get(path, params=params)).json()
        assert len(body["slots"]) == len(slots), (len(body["slots"]), len(slots))
        for _ in range(50):
            await timed(path, params)
            await timed("/healthz", None)
            await raw_availability()
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(100):
                await timed(path, params)
            profiler.disable()
            pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "tottime")).print_stats(45)
            await raw.close()
            return
        for _ in range(4):  # interleaved rounds: a change of load falls on all three alike
            for _ in range(args.requests // 4):
                http.append(await timed(path, params))
            for _ in range(args.requests // 4):
                health.append(await timed("/healthz", None))
            for _ in range(args.requests // 4):
                raw_samples.append(await raw_availability())
    await raw.close()

    print(
        f"\navailability: one mentor, 30 days ({ZONE}, across a DST change), {len(booked)}"
        f" sessions, {len(calendar)} calendar busy intervals, {len(slots)} free slots\n"
    )
    print_row("floor: UTC candidates + bisect (pure)", floor)
    print_row("free_slots (pure domain)", pure)
    print_row("floor: GET /healthz (same app, ASGI)", health)
    print_row("floor: same SQL on asyncpg + free_slots", raw_samples)
    print_row("GET availability (service, ASGI)", http)
    pure_ms, http_ms = p50(pure) * 1000, p50(http) * 1000
    print(
        f"\npure p50 {pure_ms:.3f} ms (target <= 2 ms), {p50(pure) / p50(floor):.1f}x the floor;"
        f" HTTP p50 {http_ms:.3f} ms (target <= 5 ms), {p50(http) / p50(health):.1f}x /healthz,"
        f" {p50(http) / p50(raw_samples):.1f}x the raw SQL floor"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--profile", action="store_true", help="profile 100 HTTP requests")
    args = parser.parse_args()
    await with_embedded(run, args)


if __name__ == "__main__":
    asyncio.run(main())
