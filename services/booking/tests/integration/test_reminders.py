"""Reminders at 24 h and 10 min before the start: once each, moved by a reschedule, never after
a cancel, never for an offset already past at booking time; safe with two replicas."""

import asyncio
from datetime import timedelta

from booking.config import Settings
from booking.entrypoints.jobs import SEND_REMINDERS
from booking.main import ALEMBIC_INI, create_app
from shared.messaging.events import SessionReminderDue

from ..conftest import MENTOR, berlin

WED_10 = berlin("2026-03-04T10:00")
THU_15 = berlin("2026-03-05T15:00")


async def reminders(driver) -> list[tuple[str, int]]:
    return [
        (str(event.session_id), event.offset_minutes)
        for event in await driver.recorded(SessionReminderDue)
    ]


async def test_each_reminder_is_sent_once_as_the_clock_moves(driver):
    await driver.publish_profile()
    driver.packs.grant("student-1", MENTOR)
    session = (await driver.booked("student-1", WED_10))["session_id"]

    assert await driver.run_job(SEND_REMINDERS) == 0
    driver.clock.set(WED_10 - timedelta(hours=24))
    assert await driver.run_job(SEND_REMINDERS) == 1
    assert await driver.run_job(SEND_REMINDERS) == 0
    driver.clock.set(WED_10 - timedelta(minutes=9))
    await driver.run_job(SEND_REMINDERS)
    driver.clock.set(WED_10 + timedelta(hours=1))
    await driver.run_job(SEND_REMINDERS)

    assert await reminders(driver) == [(session, 1440), (session, 10)]
    [due] = [e for e in await driver.recorded(SessionReminderDue) if e.offset_minutes == 10]
    assert (due.starts_at, due.topic, due.student_id) == (
        WED_10,
        "Preparing for a system design interview",
        "student-1",
    )


async def test_an_offset_already_past_at_booking_time_is_never_sent(driver):
    await driver.publish_profile(notice_minutes=60)
    driver.packs.grant("student-1", MENTOR)
    soon = berlin("2026-03-02T15:00")  # five hours ahead: the 24 h reminder is past already
    session = (await driver.booked("student-1", soon))["session_id"]

    driver.clock.set(soon - timedelta(minutes=10))
    await driver.run_job(SEND_REMINDERS)

    assert await reminders(driver) == [(session, 10)]


async def test_a_reminder_whose_session_has_started_is_marked_done_and_never_sent(driver):
    """After a job pause or a dev-clock jump, the 24 h and 10 min reminders come too late."""
    await driver.publish_profile()
    driver.packs.grant("student-1", MENTOR)
    await driver.booked("student-1", WED_10)

    driver.clock.set(WED_10 + timedelta(minutes=5))
    assert await driver.run_job(SEND_REMINDERS) == 2  # both handled: marked done
    assert await driver.run_job(SEND_REMINDERS) == 0

    assert await reminders(driver) == []


async def test_a_rescheduled_session_reminds_at_the_new_times_only_a_canceled_one_never(driver):
    await driver.publish_profile()
    driver.packs.grant("student-1", MENTOR)
    moved = (await driver.booked("student-1", WED_10))["session_id"]
    canceled = (await driver.booked("student-1", berlin("2026-03-04T14:00")))["session_id"]
    student = driver.as_user("student-1", "student")
    await driver.client.post(
        f"/v1/sessions/{moved}/reschedule", json={"starts_at": THU_15.isoformat()}, headers=student
    )
    await driver.client.post(f"/v1/sessions/{canceled}/cancel", json={}, headers=student)

    for moment in (WED_10 - timedelta(hours=24), WED_10 - timedelta(minutes=10), WED_10):
        driver.clock.set(moment)
        await driver.run_job(SEND_REMINDERS)
    assert await reminders(driver) == []
    for moment in (THU_15 - timedelta(hours=24), THU_15 - timedelta(minutes=5)):
        driver.clock.set(moment)
        await driver.run_job(SEND_REMINDERS)

    assert await reminders(driver) == [(moved, 1440), (moved, 10)]
    [late] = [e for e in await driver.recorded(SessionReminderDue) if e.offset_minutes == 10]
    assert late.starts_at == THU_15


async def test_two_replicas_running_the_job_at_once_send_each_reminder_once(
    driver, start_service, clock
):
    await driver.publish_profile(
        notice_minutes=0,
        weekly_hours={day: [{"start": "00:00", "end": "24:00"}] for day in ("mon", "tue", "wed")},
    )
    students = [f"student-{n}" for n in range(12)]
    for n, student in enumerate(students):
        driver.packs.grant(student, MENTOR)
        await driver.booked(student, berlin("2026-03-04T00:00") + timedelta(hours=n))
    other = await start_service(
        create_app,
        Settings,
        ALEMBIC_INI,
        database_url=driver.service.database_url,
        app_kwargs={"clock": clock},
        job_batch_size=2,
    )
    clock.set(berlin("2026-03-03T12:00"))  # the 24 h reminders of all twelve are due

    # The kernel's advisory lock is per job name, so go around it: each replica runs the
    # job's body directly and only SKIP LOCKED keeps them apart.
    jobs = [driver.runtime.jobs.jobs[SEND_REMINDERS], other.runtime.jobs.jobs[SEND_REMINDERS]]
    sent = await asyncio.gather(*(job.run() for job in jobs for _ in range(3)))

    assert sum(sent) == 12
    events = await reminders(driver)
    assert len(events) == len(set(events)) == 12
