"""After booking: reschedule, cancel (on time or late), the mentor's record, a revoked pack."""

import uuid
from datetime import timedelta

from shared.messaging.events import (
    Envelope,
    PackRevoked,
    SessionCanceled,
    SessionCompleted,
    SessionRescheduled,
)
from shared.testing.events import publish_raw
from shared.testing.helpers import eventually

from ..conftest import MENTOR, berlin

WED_10 = berlin("2026-03-04T10:00")
THU_15 = berlin("2026-03-05T15:00")
STUDENT = "student-1"


async def booked(driver, starts_at=WED_10, student=STUDENT) -> dict:
    if (student, MENTOR) not in driver.packs.ledgers:
        driver.packs.grant(student, MENTOR, credits=4)
    return await driver.booked(student, starts_at)


def as_student(driver, student=STUDENT):
    return driver.as_user(student, "student")


def as_mentor(driver, mentor=MENTOR):
    return driver.as_user(mentor, "mentor")


async def test_a_reschedule_moves_the_session_keeps_the_credit_and_bumps_the_sequence(driver):
    await driver.publish_profile()
    session = await booked(driver)

    moved = await driver.client.post(
        f"/v1/sessions/{session['session_id']}/reschedule",
        json={"starts_at": THU_15.isoformat()},
        headers=as_student(driver),
    )

    assert moved.status_code == 200, moved.text
    assert (moved.json()["starts_at"], moved.json()["sequence"]) == ("2026-03-05T14:00:00Z", 1)
    assert driver.packs.remaining(STUDENT, MENTOR) == 3
    [event] = await driver.recorded(SessionRescheduled)
    assert (event.previous_starts_at, event.starts_at, event.sequence) == (WED_10, THU_15, 1)
    slots = await driver.slots(start=berlin("2026-03-04T00:00"), days=2)
    assert WED_10 in slots and THU_15 not in slots


async def test_a_reschedule_into_a_taken_time_or_inside_the_notice_is_refused(driver):
    await driver.publish_profile()
    mine = await booked(driver)
    await booked(driver, THU_15, student="student-2")
    before = await driver.snapshot()

    taken = await driver.client.post(
        f"/v1/sessions/{mine['session_id']}/reschedule",
        json={"starts_at": THU_15.isoformat()},
        headers=as_mentor(driver),
    )
    too_soon = await driver.client.post(
        f"/v1/sessions/{mine['session_id']}/reschedule",
        json={"starts_at": berlin("2026-03-02T16:00").isoformat()},
        headers=as_student(driver),
    )
    stranger = await driver.client.post(
        f"/v1/sessions/{mine['session_id']}/reschedule",
        json={"starts_at": berlin("2026-03-06T10:00").isoformat()},
        headers=as_student(driver, "student-2"),
    )

    assert (taken.status_code, taken.json()["code"]) == (409, "TIME_SLOT_UNAVAILABLE")
    assert (too_soon.status_code, too_soon.json()["code"]) == (422, "SLOT_NOT_OFFERED")
    assert (stranger.status_code, stranger.json()["code"]) == (403, "NOT_YOUR_SESSION")
    assert await driver.snapshot() == before


async def test_cancel_on_time_gives_the_credit_back_and_late_by_the_student_forfeits_it(driver):
    await driver.publish_profile()
    early = await booked(driver)
    late = await booked(driver, THU_15)
    by_mentor = await booked(driver, berlin("2026-03-05T10:00"))
    driver.clock.set(berlin("2026-03-04T20:00"))  # 19 h before Thursday 15:00

    responses = [
        await driver.client.post(
            f"/v1/sessions/{s['session_id']}/cancel", json={"reason": "sick"}, headers=headers
        )
        for s, headers in (
            (early, as_student(driver)),
            (late, as_student(driver)),
            (by_mentor, as_mentor(driver)),
        )
    ]
    again = await driver.client.post(
        f"/v1/sessions/{late['session_id']}/cancel", json={}, headers=as_student(driver)
    )

    assert [r.status_code for r in responses] == [409, 200, 200]  # Wednesday 10:00 is past
    assert responses[0].json()["code"] == "ILLEGAL_TRANSITION"
    events = await driver.recorded(SessionCanceled)
    assert [(e.canceled_by, e.late, e.reason) for e in events] == [
        ("student", True, "sick"),
        ("mentor", False, "sick"),
    ]
    assert again.status_code == 200
    assert len(await driver.recorded(SessionCanceled)) == 2


async def test_the_mentor_completes_a_held_session_once_however_often_it_is_sent(driver):
    await driver.publish_profile()
    session = await booked(driver)
    url = f"/v1/instructor/sessions/{session['session_id']}"

    too_early = await driver.client.patch(
        url, json={"status": "completed"}, headers=as_mentor(driver)
    )
    driver.clock.set(WED_10 + timedelta(minutes=65))
    done = [
        await driver.client.patch(
            url,
            json={"status": "completed", "notes": "Went well", "recording_url": "https://rec/1"},
            headers=as_mentor(driver),
        )
        for _ in range(3)
    ]
    no_show_after = await driver.client.patch(
        url, json={"status": "no_show"}, headers=as_mentor(driver)
    )
    other_mentor = await driver.client.patch(
        url, json={"notes": "mine now"}, headers=as_mentor(driver, "mentor-2")
    )

    assert (too_early.status_code, too_early.json()["code"]) == (409, "ILLEGAL_TRANSITION")
    assert [r.status_code for r in done] == [200, 200, 200]
    body = done[0].json()
    assert (body["status"], body["notes"], body["recording_url"]) == (
        "completed",
        "Went well",
        "https://rec/1",
    )
    assert body["completed_at"] == "2026-03-04T10:05:00Z"
    assert len(await driver.recorded(SessionCompleted)) == 1
    assert (no_show_after.status_code, no_show_after.json()["code"]) == (409, "ILLEGAL_TRANSITION")
    assert (other_mentor.status_code, other_mentor.json()["code"]) == (403, "NOT_YOUR_SESSION")
    assert await driver.count("SELECT count(*) FROM sessions WHERE notes = 'mine now'") == 0


async def test_a_revoked_pack_cancels_its_future_sessions_without_penalty(
    driver, nats_url, namespace
):
    await driver.publish_profile()
    first = await booked(driver)
    second = await booked(driver, THU_15)
    pack_id = driver.packs.ledgers[(STUDENT, MENTOR)].pack_id
    driver.clock.set(WED_10 + timedelta(minutes=30))  # the first is under way
    revoked = PackRevoked(
        pack_id=pack_id,
        order_id=uuid.uuid4(),
        student_id=STUDENT,
        mentor_id=MENTOR,
        reason="refunded",
    )
    envelope = Envelope.wrap(revoked, producer="packs")
    for n in range(2):
        await publish_raw(nats_url, namespace, envelope, msg_id=f"{envelope.id}-{n}")

    [event] = await eventually(lambda: driver.recorded(SessionCanceled))
    assert (str(event.session_id), event.canceled_by, event.late) == (
        second["session_id"],
        "system",
        False,
    )
    status = "SELECT status FROM sessions WHERE session_id = :id"
    assert await driver.count(status, id=uuid.UUID(first["session_id"])) == "scheduled"
