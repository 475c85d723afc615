"""Booking a session: one credit from packs, the database keeps a mentor's sessions apart."""

import asyncio

from booking.entrypoints.jobs import RETRY_RELEASES
from shared.messaging.events import SessionBooked

from ..conftest import MENTOR, berlin

WED_10 = berlin("2026-03-04T10:00")
WED_11 = berlin("2026-03-04T11:00")


async def test_a_student_books_a_free_slot_with_one_credit_and_packs_hears_of_it(
    driver, event_probe
):
    await driver.publish_profile()
    pack_id = driver.packs.grant("student-1", MENTOR, credits=4)

    session = await driver.booked("student-1", WED_10)

    assert session["status"] == "scheduled"
    assert (session["starts_at"], session["ends_at"]) == (
        "2026-03-04T09:00:00Z",
        "2026-03-04T10:00:00Z",
    )
    assert session["pack_id"] == str(pack_id)
    assert session["join_url"].endswith(f"/sessions/{session['session_id']}/join")
    assert driver.packs.remaining("student-1", MENTOR) == 3
    [booked] = await event_probe.wait_for(SessionBooked)
    event = booked.payload()
    assert (str(event.session_id), event.student_id, event.mentor_id) == (
        session["session_id"],
        "student-1",
        MENTOR,
    )
    assert (event.join_url, event.topic, event.mentor_timezone) == (
        session["join_url"],
        "Preparing for a system design interview",
        "Europe/Berlin",
    )
    assert WED_10 not in await driver.slots(start=berlin("2026-03-04T00:00"), days=1)


async def test_the_same_idempotency_key_is_one_session_one_credit_one_event_even_at_once(driver):
    await driver.publish_profile()
    driver.packs.grant("student-1", MENTOR, credits=4)

    first, *again = await asyncio.gather(
        *(driver.book("student-1", WED_10, key="key-1") for _ in range(5))
    )
    later = await driver.book("student-1", WED_10, key="key-1")

    assert sorted(r.status_code for r in (first, *again, later)) == [200] * 5 + [201]
    assert len({r.json()["session_id"] for r in (first, *again, later)}) == 1
    assert await driver.count("SELECT count(*) FROM sessions") == 1
    assert len(await driver.recorded(SessionBooked)) == 1
    assert driver.packs.remaining("student-1", MENTOR) == 3  # losers' credits went back
    other = await driver.book("student-1", WED_11, key="key-1")
    assert (other.status_code, other.json()["code"]) == (422, "IDEMPOTENCY_KEY_REUSED")


async def test_concurrent_bookings_of_overlapping_slots_give_one_session_per_group(driver):
    # Buffers make 10:00 and 10:30 (30 min sessions) overlap; 14:00 is a group of its own.
    await driver.publish_profile(session_durations=[30, 60], buffer_after_minutes=15)
    students = [f"student-{n}" for n in range(24)]
    for student in students:
        driver.packs.grant(student, MENTOR, credits=2)
    times = [WED_10, berlin("2026-03-04T10:30"), berlin("2026-03-04T14:00")]

    responses = await asyncio.gather(
        *(driver.book(student, times[n % 3], duration=30) for n, student in enumerate(students))
    )

    statuses = [r.status_code for r in responses]
    assert statuses.count(201) == 2, [r.json() for r in responses if r.status_code != 409]
    assert statuses.count(409) == 22
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {
        "TIME_SLOT_UNAVAILABLE"
    }
    winners = {r.json()["student_id"] for r in responses if r.status_code == 201}
    for student in students:
        assert driver.packs.remaining(student, MENTOR) == (1 if student in winners else 2)
    assert await driver.count("SELECT count(*) FROM sessions") == 2
    assert len(await driver.recorded(SessionBooked)) == 2


async def test_a_refusal_from_packs_is_a_409_with_its_code_and_books_nothing(driver):
    await driver.publish_profile()
    driver.packs.grant("student-1", MENTOR, credits=0)
    before = await driver.snapshot()

    no_credit = await driver.book("student-1", WED_10)
    no_pack = await driver.book("student-2", WED_10)

    assert (no_credit.status_code, no_credit.json()["code"]) == (409, "NO_REMAINING_SESSIONS")
    assert (no_pack.status_code, no_pack.json()["code"]) == (409, "PACK_NOT_FOUND")
    assert await driver.snapshot() == before


async def test_silence_from_packs_is_a_503_and_books_nothing(driver, fake_packs):
    await driver.publish_profile()
    await fake_packs.stop()
    driver.runtime.bus.requester._timeout = 0.3  # noqa: SLF001 - a short wait for the test
    before = await driver.snapshot()

    response = await driver.book("student-1", WED_10)

    assert response.status_code == 503
    assert response.json()["code"] in ("UPSTREAM_UNAVAILABLE", "UPSTREAM_TIMEOUT")
    assert await driver.snapshot() == before
    await fake_packs.start()  # the fixture stops it again


async def test_bad_bookings_are_problems_that_change_nothing(driver):
    await driver.publish_profile()
    driver.packs.grant("student-1", MENTOR)
    before = await driver.snapshot()
    student = driver.as_user("student-1", "student")

    short_topic = await driver.book("student-1", WED_10, topic="help")
    outside_hours = await driver.book("student-1", berlin("2026-03-04T20:00"))
    off_grid = await driver.book("student-1", berlin("2026-03-04T10:10"))
    within_notice = await driver.book("student-1", berlin("2026-03-02T15:00"))
    wrong_duration = await driver.book("student-1", WED_10, duration=45)
    unknown_mentor = await driver.book("student-1", WED_10, mentor="nobody")
    no_key = await driver.client.post(
        "/v1/sessions",
        json={
            "mentor_id": MENTOR,
            "starts_at": WED_10.isoformat(),
            "duration_minutes": 60,
            "topic": "Preparing for a system design interview",
        },
        headers=student,
    )
    as_mentor = await driver.client.post(
        "/v1/sessions", json={}, headers=driver.as_user(MENTOR, "mentor")
    )

    assert (short_topic.status_code, short_topic.json()["code"]) == (422, "VALIDATION_FAILED")
    for response in (outside_hours, off_grid, within_notice):
        assert (response.status_code, response.json()["code"]) == (422, "SLOT_NOT_OFFERED")
    assert wrong_duration.json()["code"] == "DURATION_NOT_OFFERED"
    assert unknown_mentor.json()["code"] == "MENTOR_NOT_FOUND"
    assert no_key.status_code == 422
    assert as_mentor.status_code == 403
    assert driver.packs.reserve_calls == 0
    assert await driver.snapshot() == before


async def test_a_reserve_that_times_out_is_released_and_retried_until_packs_confirms(driver):
    await driver.publish_profile()
    driver.packs.grant("student-1", MENTOR, credits=1)
    driver.runtime.bus.requester._timeout = 0.3  # noqa: SLF001 - a short wait for the test
    driver.packs.reserve_delay = 0.5  # packs reserves, but after booking stopped waiting
    driver.packs.failing_releases = True

    response = await driver.book("student-1", WED_10)
    await asyncio.sleep(0.4)  # the late reserve lands

    assert response.status_code == 503
    assert driver.packs.remaining("student-1", MENTOR) == 0
    assert await driver.count("SELECT count(*) FROM credit_releases") == 1
    assert await driver.run_job(RETRY_RELEASES) == 0  # packs still failing: kept
    driver.packs.failing_releases = False
    assert await driver.run_job(RETRY_RELEASES) == 1
    assert await driver.count("SELECT count(*) FROM credit_releases") == 0
    assert driver.packs.remaining("student-1", MENTOR) == 1
    assert await driver.count("SELECT count(*) FROM sessions") == 0
