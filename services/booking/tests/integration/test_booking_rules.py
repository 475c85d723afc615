"""Booking rules a mentor sets, on real Postgres: saved and validated on the profile, enforced
under concurrency by the mentor's locked row, refused with stable codes, and never offered."""

import asyncio
import uuid
from datetime import timedelta

from booking.adapters.unit_of_work import own_units
from booking.domain.availability import Interval
from booking.domain.errors import DailyLimitReached
from booking.domain.sessions import Session, SessionStatus
from booking.service_layer.booking_rules import check_rules

from ..conftest import MENTOR, PROFILE, berlin

WED = berlin("2026-03-04T00:00")
WED_10, WED_11, WED_14 = (berlin(f"2026-03-04T{h}:00") for h in ("10", "11", "14"))
THU_10 = berlin("2026-03-05T10:00")
RULES = (
    "max_sessions_per_day",
    "max_sessions_per_student_week",
    "max_sessions_per_student_month",
    "reschedule_notice_hours",
    "max_reschedules_per_session",
)


async def test_the_rules_are_saved_on_the_profile_default_to_no_limit_and_are_validated(driver):
    assert {name: (await driver.publish_profile())[name] for name in RULES} == dict.fromkeys(RULES)
    saved = await driver.publish_profile(max_sessions_per_day=3, reschedule_notice_hours=12)
    assert (saved["max_sessions_per_day"], saved["reschedule_notice_hours"]) == (3, 12)
    mentor = driver.as_user(MENTOR, "mentor")

    wrongs = [
        {"max_sessions_per_day": -1},
        {"max_sessions_per_day": 49},
        {"max_reschedules_per_session": 1.5},
        {"reschedule_notice_hours": "soon"},
    ]
    for wrong in wrongs:
        answer = await driver.client.put(
            "/v1/mentors/me", json={**PROFILE, **wrong}, headers=mentor
        )
        assert (answer.status_code, answer.json()["code"]) == (422, "VALIDATION_FAILED"), wrong
    stored = (await driver.client.get("/v1/mentors/me", headers=mentor)).json()
    assert stored["max_sessions_per_day"] == 3


async def test_two_bookings_at_once_for_the_last_place_of_a_day_book_one(driver):
    await driver.publish_profile(max_sessions_per_day=1)
    students = [f"student-{n}" for n in range(6)]
    for student in students:
        driver.packs.grant(student, MENTOR)
    driver.packs.reserve_delay = 0.3  # every booking passes the check before any inserts
    # Six students, three days, two different (non-overlapping) hours a day.
    days = [WED, WED + timedelta(days=1), WED + timedelta(days=2)]
    slots = [day + timedelta(hours=hour) for day in days for hour in (9, 13)]

    answers = await asyncio.gather(
        *(driver.book(student, slot) for student, slot in zip(students, slots, strict=True))
    )

    codes = sorted((a.status_code, a.json().get("code", "")) for a in answers)
    assert codes == [(201, "")] * 3 + [(409, "DAILY_LIMIT_REACHED")] * 3, codes
    assert await driver.count("SELECT count(*) FROM sessions") == 3
    assert sum(driver.packs.remaining(s, MENTOR) for s in students) == 6 * 4 - 3  # released


async def test_a_full_day_is_not_offered_to_anyone_and_a_students_full_week_not_to_them(driver):
    await driver.publish_profile(max_sessions_per_day=1, max_sessions_per_student_week=1)
    driver.packs.grant("student-1", MENTOR)
    driver.packs.grant("student-2", MENTOR)
    assert WED_14 in await driver.slots(start=WED, days=1)

    await driver.booked("student-1", WED_10)

    assert await driver.slots(start=WED, days=1) == []  # anonymous: the day is full
    anyone_thursday = await driver.slots(start=WED + timedelta(days=1), days=1)
    mine = await driver.client.get(
        f"/v1/mentors/{MENTOR}/availability",
        params={
            "from": (WED + timedelta(days=1)).isoformat(),
            "to": (WED + timedelta(days=2)).isoformat(),
            "duration": 60,
        },  # fmt: skip
        headers=driver.as_user("student-1", "student"),
    )
    theirs = await driver.client.get(
        f"/v1/mentors/{MENTOR}/availability",
        params={
            "from": (WED + timedelta(days=1)).isoformat(),
            "to": (WED + timedelta(days=2)).isoformat(),
            "duration": 60,
        },  # fmt: skip
        headers=driver.as_user("student-2", "student"),
    )
    assert THU_10 in anyone_thursday
    assert mine.json()["slots"] == []  # student-1 has this week's one session
    assert len(theirs.json()["slots"]) == len(anyone_thursday)
    refused = await driver.book("student-1", THU_10)
    assert (refused.status_code, refused.json()["code"]) == (409, "WEEKLY_LIMIT_REACHED")
    full = await driver.book("student-2", WED_14)
    assert (full.status_code, full.json()["code"]) == (409, "DAILY_LIMIT_REACHED")
    assert driver.packs.remaining("student-2", MENTOR) == 4  # refused before packs was asked


async def test_a_student_may_not_reschedule_late_or_too_often_each_with_its_code(driver):
    await driver.publish_profile(reschedule_notice_hours=72, max_reschedules_per_session=1)
    driver.packs.grant("student-1", MENTOR)
    student = driver.as_user("student-1", "student")
    later = (await driver.booked("student-1", berlin("2026-03-06T10:00")))["session_id"]
    soon = (await driver.booked("student-1", WED_10))["session_id"]  # in 2 days

    async def move(session: str, starts_at, headers=student):
        return await driver.client.post(
            f"/v1/sessions/{session}/reschedule",
            json={"starts_at": starts_at.isoformat()},
            headers=headers,
        )

    too_late = await move(soon, WED_11)
    assert (too_late.status_code, too_late.json()["code"]) == (409, "RESCHEDULE_TOO_LATE")
    assert (await move(soon, WED_11, headers=driver.as_user(MENTOR, "mentor"))).status_code == 200
    assert (await move(later, berlin("2026-03-06T11:00"))).status_code == 200
    again = await move(later, berlin("2026-03-06T12:00"))
    assert (again.status_code, again.json()["code"]) == (409, "RESCHEDULE_LIMIT_REACHED")
    assert (
        "RESCHEDULE_LIMIT_REACHED"
        in (await driver.client.get("/problems/RESCHEDULE_LIMIT_REACHED")).text
    )


async def test_the_mentors_locked_row_makes_a_second_booking_wait_and_count_the_first(driver):
    """The mechanism behind the race above, made deterministic: the first unit of work holds
    the lock with its session inserted and not committed; the second waits, then counts it."""
    await driver.publish_profile(max_sessions_per_day=1)
    open_unit = own_units(driver.runtime.uow)
    async with open_unit() as uow:
        schedule = await uow.mentors.schedule(MENTOR)
    assert schedule is not None
    inside = asyncio.Event()

    def session(student: str, starts_at) -> Session:
        return Session(uuid.uuid4(), MENTOR, student, uuid.uuid4(), starts_at,
                       starts_at + timedelta(hours=1), SessionStatus.scheduled, "t", "u",
                       "Europe/Berlin")  # fmt: skip

    async def book(student: str, starts_at, *, first: bool) -> None:
        if not first:
            await inside.wait()
        async with open_unit() as uow:
            await check_rules(uow.bookings, mentor_id=MENTOR, student_id=student,
                              schedule=schedule, starts_at=starts_at, locked=True)  # fmt: skip
            new = session(student, starts_at)
            blocked = Interval(new.starts_at, new.ends_at)
            now = driver.clock.now()
            assert await uow.bookings.insert(
                new,
                blocked=blocked,
                idempotency_key=student,
                fingerprint="f",
                reminders=[],
                now=now,
            )
            if first:
                inside.set()
                await asyncio.sleep(0.5)  # the second tries now
            await uow.commit()

    first, second = await asyncio.gather(
        book("student-1", WED_10, first=True),
        book("student-2", WED_14, first=False),
        return_exceptions=True,
    )

    assert first is None and isinstance(second, DailyLimitReached), (first, second)
    assert await driver.count("SELECT count(*) FROM sessions") == 1
