"""Booking and packs together on one NATS: purchases give credits, bookings draw them, the
database keeps one session per overlapping time, and every loser's credit goes back."""

import asyncio
from datetime import UTC, datetime

from booking.config import Settings as BookingSettings
from booking.entrypoints.jobs import RETRY_RELEASES
from booking.main import ALEMBIC_INI as BOOKING_ALEMBIC_INI
from booking.main import create_app as create_booking
from packs.config import Settings as PacksSettings
from packs.main import ALEMBIC_INI as PACKS_ALEMBIC_INI
from packs.main import create_app as create_packs
from shared.clock import FakeClock
from shared.messaging.events import Envelope, SessionBooked
from shared.testing.events import a_purchase, publish_raw
from shared.testing.helpers import eventually
from shared.testing.plugin import auth_headers
from shared.testing.rows import scalar

MENTOR = "mentor-journey"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # Monday
PROFILE = {
    "display_name": "Katherine Johnson",
    "timezone": "America/New_York",
    "weekly_hours": {"wed": [{"start": "08:00", "end": "20:00"}]},
    "session_durations": [30, 60],
    "buffer_after_minutes": 10,
}
# Four groups; inside each, a 60-minute slot and a 30-minute slot that overlap it.
GROUPS = [
    (datetime(2026, 3, 4, hour, tzinfo=UTC), datetime(2026, 3, 4, hour, 30, tzinfo=UTC))
    for hour in (13, 16, 19, 22)  # 08:00, 11:00, 14:00, 17:00 in New York (EST)
]


async def count(service, sql: str) -> int:
    return await scalar(service.runtime.connection_factory, sql)


async def test_a_hundred_concurrent_bookings_of_overlapping_slots_book_one_per_group(
    event_probe, start_service, nats_url, namespace
):
    clock = FakeClock(NOW)
    packs = await start_service(
        create_packs,
        PacksSettings,
        PACKS_ALEMBIC_INI,
        app_kwargs={"clock": clock},
        default_capacity=200,
    )
    # A hundred reserves at once queue at packs (ten at a time): wait for them, on this
    # shared machine, rather than answer 503.
    booking = await start_service(
        create_booking,
        BookingSettings,
        BOOKING_ALEMBIC_INI,
        app_kwargs={"clock": clock},
        request_timeout_seconds=15,
    )
    saved = await booking.client.put(
        "/v1/mentors/me", json=PROFILE, headers=auth_headers(MENTOR, "mentor")
    )
    assert saved.status_code == 200, saved.text
    students = [f"student-{n:03d}" for n in range(100)]
    for student in students:
        paid = a_purchase(student, MENTOR, paid_at=NOW, amount=20_000, currency="USD")
        await publish_raw(nats_url, namespace, Envelope.wrap(paid, producer="payments"))

    async def all_packs_made() -> bool:
        return await count(packs, "SELECT count(*) FROM packs") == 100

    await eventually(all_packs_made, within=60)

    def attempt(n: int, student: str):
        long_slot, short_slot = GROUPS[n % 4]
        starts_at, minutes = (long_slot, 60) if n % 8 < 4 else (short_slot, 30)
        return booking.client.post(
            "/v1/sessions",
            json={
                "mentor_id": MENTOR,
                "starts_at": starts_at.isoformat(),
                "duration_minutes": minutes,
                "topic": "Orbital mechanics for interviews",
            },
            headers={**auth_headers(student, "student"), "Idempotency-Key": f"k-{student}"},
        )

    responses = await asyncio.gather(*(attempt(n, s) for n, s in enumerate(students)))

    statuses = [r.status_code for r in responses]
    assert statuses.count(201) == 4, {r.status_code: r.text for r in responses}
    assert statuses.count(409) == 96, [r.json() for r in responses if r.status_code != 201]
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {
        "TIME_SLOT_UNAVAILABLE"
    }
    # Releases packs was too busy to confirm in time are retried by booking's due job.
    while await booking.runtime.jobs.run_now(RETRY_RELEASES):
        pass
    assert await count(booking, "SELECT count(*) FROM credit_releases") == 0
    won = [r.json() for r in responses if r.status_code == 201]
    assert sorted(datetime.fromisoformat(s["starts_at"]).hour for s in won) == [13, 16, 19, 22]
    # Packs holds exactly the winners' credits: every loser's reserve was released.
    assert await count(packs, "SELECT coalesce(sum(sessions_reserved), 0) FROM packs") == 4
    assert await count(packs, "SELECT count(*) FROM credits WHERE status = 'reserved'") == 4
    assert await count(booking, "SELECT count(*) FROM sessions") == 4
    await event_probe.wait_for(SessionBooked, count=4)
    # Packs checks each booking it hears of against its credits (nothing to repair here).
    await asyncio.sleep(0.5)
    assert await count(packs, "SELECT count(*) FROM credits WHERE status = 'reserved'") == 4
