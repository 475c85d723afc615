"""Slot holds, the .ics invite, the participants' session lists, eligibility and operators."""

from datetime import timedelta

from icalendar import Calendar

from ..conftest import MENTOR, berlin

WED_10 = berlin("2026-03-04T10:00")
THU_15 = berlin("2026-03-05T15:00")


async def hold(driver, student: str, starts_at=WED_10):
    return await driver.client.post(
        "/v1/slot-holds",
        json={"mentor_id": MENTOR, "starts_at": starts_at.isoformat(), "duration_minutes": 60},
        headers=driver.as_user(student, "student"),
    )


async def test_a_hold_keeps_the_slot_from_others_for_five_minutes_and_booking_consumes_it(driver):
    await driver.publish_profile()
    for student in ("student-1", "student-2"):
        driver.packs.grant(student, MENTOR)

    held = await hold(driver, "student-1")
    other_hold = await hold(driver, "student-2")
    other_booking = await driver.book("student-2", WED_10)
    day = berlin("2026-03-04T00:00")

    assert held.status_code == 201, held.text
    assert held.json()["expires_at"] == "2026-03-02T09:05:00Z"
    assert (other_hold.status_code, other_hold.json()["code"]) == (409, "TIME_SLOT_UNAVAILABLE")
    assert (other_booking.status_code, other_booking.json()["code"]) == (
        409,
        "TIME_SLOT_UNAVAILABLE",
    )
    assert WED_10 not in await driver.slots(start=day, days=1)
    assert driver.packs.reserve_calls == 0

    mine = await driver.book("student-1", WED_10)
    assert mine.status_code == 201
    assert await driver.count("SELECT count(*) FROM slot_holds") == 0


async def test_an_expired_hold_frees_the_slot(driver):
    await driver.publish_profile()
    driver.packs.grant("student-2", MENTOR)
    await hold(driver, "student-1")
    driver.clock.advance(timedelta(minutes=5))

    assert WED_10 in await driver.slots(start=berlin("2026-03-04T00:00"), days=1)
    assert (await hold(driver, "student-2")).status_code == 201
    assert (await driver.book("student-2", WED_10)).status_code == 201


async def test_the_invite_keeps_its_uid_bumps_its_sequence_and_becomes_a_cancel(driver):
    await driver.publish_profile()
    driver.packs.grant("student-1", MENTOR)
    session = (await driver.booked("student-1", WED_10))["session_id"]
    student = driver.as_user("student-1", "student")

    async def invite():
        response = await driver.client.get(f"/v1/sessions/{session}/ics", headers=student)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/calendar")
        return Calendar.from_ical(response.content)

    first = await invite()
    await driver.client.post(
        f"/v1/sessions/{session}/reschedule",
        json={"starts_at": THU_15.isoformat()},
        headers=student,
    )
    moved = await invite()
    await driver.client.post(f"/v1/sessions/{session}/cancel", json={}, headers=student)
    canceled = await invite()

    events = [cal.walk("VEVENT")[0] for cal in (first, moved, canceled)]
    assert len({str(e["UID"]) for e in events}) == 1
    assert [int(e["SEQUENCE"]) for e in events] == [0, 1, 2]
    assert [str(cal["METHOD"]) for cal in (first, moved, canceled)] == [
        "REQUEST",
        "REQUEST",
        "CANCEL",
    ]
    assert events[0].decoded("DTSTART").isoformat() == "2026-03-04T10:00:00+01:00"
    assert events[1].decoded("DTSTART").isoformat() == "2026-03-05T15:00:00+01:00"
    assert [str(tz["TZID"]) for tz in first.walk("VTIMEZONE")] == ["Europe/Berlin"]
    outsider = await driver.client.get(
        f"/v1/sessions/{session}/ics", headers=driver.as_user("student-9", "student")
    )
    assert (outsider.status_code, outsider.json()["code"]) == (403, "NOT_YOUR_SESSION")


async def test_participants_list_their_sessions_in_their_zone_and_operators_see_all(driver):
    await driver.publish_profile()
    driver.packs.grant("student-1", MENTOR)
    wed = (await driver.booked("student-1", WED_10))["session_id"]
    thu = (await driver.booked("student-1", THU_15))["session_id"]
    driver.clock.set(WED_10 + timedelta(hours=2))
    student = driver.as_user("student-1", "student")

    upcoming = await driver.client.get(
        "/v1/me/sessions", params={"tz": "Asia/Kolkata"}, headers=student
    )
    past = await driver.client.get("/v1/me/sessions", params={"status": "past"}, headers=student)
    mentor = await driver.client.get(
        "/v1/mentors/me/sessions", params={"limit": 1}, headers=driver.as_user(MENTOR, "mentor")
    )
    admin = driver.as_user("ops", "admin")
    everything = await driver.client.get(
        "/v1/admin/sessions", params={"mentor_id": MENTOR, "status": "scheduled"}, headers=admin
    )
    counts = await driver.client.get("/v1/admin/sessions/counts", headers=admin)
    forbidden = await driver.client.get("/v1/admin/sessions", headers=student)

    [item] = upcoming.json()["items"]
    assert (item["session_id"], item["counterpart_id"]) == (thu, MENTOR)
    assert item["local_starts_at"] == "2026-03-05T19:30:00+05:30"
    assert [i["session_id"] for i in past.json()["items"]] == [wed]
    body = mentor.json()
    assert (body["total"], len(body["items"]), body["items"][0]["counterpart_id"]) == (
        1,
        1,
        "student-1",
    )
    assert everything.json()["total"] == 2
    assert counts.json() == [
        {
            "mentor_id": MENTOR,
            "scheduled": 2,
            "completed": 0,
            "no_show": 0,
            "canceled": 0,
            "total": 2,
        }
    ]
    assert forbidden.status_code == 403


async def test_eligibility_answers_with_the_packs_code(driver):
    await driver.publish_profile()
    driver.packs.grant("student-1", MENTOR, credits=0)

    empty = await driver.client.get(
        f"/v1/mentors/{MENTOR}/eligibility", headers=driver.as_user("student-1", "student")
    )
    none = await driver.client.get(
        f"/v1/mentors/{MENTOR}/eligibility", headers=driver.as_user("student-2", "student")
    )

    assert (empty.json()["eligible"], empty.json()["code"]) == (False, "NO_REMAINING_SESSIONS")
    assert (none.json()["eligible"], none.json()["code"]) == (False, "PACK_NOT_FOUND")
