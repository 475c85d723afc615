"""The instructor dashboard: students with seat status, grace deadline, pack expiry and sessions
left, open seats, upcoming and recent sessions — from events, never a call to packs."""

import uuid
from datetime import timedelta

from shared.messaging.events import (
    Envelope,
    MentorCapacityChanged,
    PackPurchased,
    SeatGraceStarted,
)
from shared.testing.events import publish_raw
from shared.testing.helpers import eventually

from ..conftest import MENTOR, berlin

WED_10 = berlin("2026-03-04T10:00")


async def test_the_dashboard_shows_students_seats_sessions_and_open_seats(
    driver, nats_url, namespace
):
    await driver.publish_profile()
    now = driver.clock.now()
    seats = {s: uuid.uuid4() for s in ("student-1", "student-2")}
    packs = {s: driver.packs.grant(s, MENTOR, credits=4) for s in seats}
    facts = [
        PackPurchased(
            pack_id=packs[s],
            order_id=uuid.uuid4(),
            seat_id=seats[s],
            student_id=s,
            mentor_id=MENTOR,
            sessions_total=4,
            session_minutes=60,
            expires_at=now + timedelta(days=30 + n),
            renewal=False,
        )
        for n, s in enumerate(seats)
    ]
    facts += [
        SeatGraceStarted(
            seat_id=seats["student-2"],
            student_id="student-2",
            mentor_id=MENTOR,
            grace_ends_at=now + timedelta(hours=72),
        ),
        MentorCapacityChanged(mentor_id=MENTOR, capacity=10, live_seats=2, open_seats=8),
    ]
    for n, fact in enumerate(facts):
        envelope = Envelope.wrap(fact, producer="packs", occurred_at=now + timedelta(seconds=n))
        await publish_raw(nats_url, namespace, envelope)
    held = (await driver.booked("student-1", WED_10))["session_id"]
    await driver.booked("student-1", berlin("2026-03-05T10:00"))
    driver.clock.set(WED_10 + timedelta(hours=1))
    await driver.client.patch(
        f"/v1/instructor/sessions/{held}",
        json={"status": "completed"},
        headers=driver.as_user(MENTOR, "mentor"),
    )

    async def dashboard():
        response = await driver.client.get(
            "/v1/mentors/me/dashboard", headers=driver.as_user(MENTOR, "mentor")
        )
        body = response.json()
        return body if body["open_seats"] is not None and len(body["students"]) == 2 else None

    body = await eventually(dashboard)

    assert (body["capacity"], body["live_seats"], body["open_seats"]) == (10, 2, 8)
    grace, active = body["students"]
    assert (grace["student_id"], grace["seat_status"]) == ("student-2", "grace")
    assert grace["grace_ends_at"] == "2026-03-05T09:00:00Z"
    assert (active["student_id"], active["seat_status"]) == ("student-1", "active")
    assert active["pack_expires_at"] == "2026-04-01T09:00:00Z"
    assert (active["sessions_used"], active["sessions_booked"]) == (1, 1)
    assert (active["sessions_left"], active["sessions_to_book"]) == (3, 2)
    assert [s["session_id"] for s in body["recent"]] == [held]
    assert [s["starts_at"] for s in body["upcoming"]] == ["2026-03-05T09:00:00Z"]
    assert driver.packs.reserve_calls == 2  # the dashboard itself asked packs nothing
