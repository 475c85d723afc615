"""Booking rules a mentor sets, on the fakes: limits per local day, per student and week or
month (in the mentor's zone, across DST), the reschedule notice and count, and availability
that never offers a slot a rule would refuse.

Two bookings racing for the last place of a day stay on real Postgres
(`tests/integration/test_booking_rules.py`).
"""

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from booking.domain.booking_rules import Booked, BookingRules, RuleLedger, counting_window
from booking.domain.errors import (
    DailyLimitReached,
    MonthlyLimitReached,
    RescheduleLimitReached,
    RescheduleTooLate,
    WeeklyLimitReached,
)
from booking.domain.sessions import Actor, SessionStatus
from booking.service_layer.announce_availability import current_availability
from booking.service_layer.availability import GetAvailability, get_availability
from booking.service_layer.book_session import BookSession, book_session
from booking.service_layer.hold_slot import HoldSlot, hold_slot
from booking.service_layer.reschedule_session import RescheduleSession, reschedule_session

from .builders import MENTOR, NOW, SCHEDULE, STUDENT, a_session

BERLIN, NEW_YORK = ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York")


def at(text: str, zone: ZoneInfo) -> datetime:
    """A wall time in `zone` as a UTC instant."""
    return datetime.fromisoformat(text).replace(tzinfo=zone).astimezone(UTC)


def ledger(rules: BookingRules, zone: ZoneInfo, *booked: tuple[str, str]) -> RuleLedger:
    return RuleLedger(
        rules, zone=zone, booked=[Booked(at(when, zone), student) for when, student in booked]
    )


# ---- the domain: what counts, in which local period ----------------------------------------


def test_a_day_is_the_mentors_local_day_even_when_it_is_another_day_in_utc():
    rules = BookingRules(sessions_per_day=1)
    # Tuesday 23:30 in New York is Wednesday 04:30 UTC: it fills Tuesday, not Wednesday.
    late_tuesday = ledger(rules, NEW_YORK, ("2026-03-03T23:30", "student-2"))

    assert not late_tuesday.allows(at("2026-03-03T09:00", NEW_YORK), student_id=None)
    assert late_tuesday.allows(at("2026-03-04T00:00", NEW_YORK), student_id=None)
    assert isinstance(
        late_tuesday.refusal(at("2026-03-03T10:00", NEW_YORK), student_id=STUDENT),
        DailyLimitReached,
    )


@pytest.mark.parametrize(
    "day, first, last",
    [
        ("2026-03-29", "00:30", "23:30"),  # spring forward: a 23-hour day
        ("2026-10-25", "00:30", "23:30"),  # fall back: a 25-hour day
    ],
)
def test_a_day_of_23_or_25_hours_in_berlin_is_still_one_day(day, first, last):
    rules = BookingRules(sessions_per_day=2)
    full = ledger(rules, BERLIN, (f"{day}T{first}", "s1"), (f"{day}T{last}", "s2"))
    one = ledger(rules, BERLIN, (f"{day}T{first}", "s1"))

    assert not full.allows(at(f"{day}T12:00", BERLIN), student_id=None)
    assert one.allows(at(f"{day}T12:00", BERLIN), student_id=None)
    next_day = (datetime.fromisoformat(day) + timedelta(days=1)).date().isoformat()
    assert full.allows(at(f"{next_day}T00:00", BERLIN), student_id=None)


def test_a_students_week_runs_monday_to_sunday_in_the_mentors_zone():
    rules = BookingRules(sessions_per_student_week=1)
    sunday_night = ledger(rules, BERLIN, ("2026-03-29T23:30", STUDENT))  # after the DST change

    assert isinstance(
        sunday_night.refusal(at("2026-03-23T10:00", BERLIN), student_id=STUDENT),
        WeeklyLimitReached,
    )
    assert sunday_night.allows(at("2026-03-30T00:00", BERLIN), student_id=STUDENT)
    assert sunday_night.allows(at("2026-03-24T10:00", BERLIN), student_id="student-2")
    assert sunday_night.allows(at("2026-03-24T10:00", BERLIN), student_id=None)


def test_a_students_month_is_the_mentors_calendar_month():
    rules = BookingRules(sessions_per_student_month=2)
    # 31 March 21:00 in New York is 1 April 01:00 UTC: it counts for March.
    booked = ledger(rules, NEW_YORK, ("2026-03-02T10:00", STUDENT), ("2026-03-31T21:00", STUDENT))

    assert isinstance(
        booked.refusal(at("2026-03-15T10:00", NEW_YORK), student_id=STUDENT), MonthlyLimitReached
    )
    assert booked.allows(at("2026-04-01T10:00", NEW_YORK), student_id=STUDENT)


def test_the_counting_window_covers_the_whole_week_and_month_of_each_start():
    start, end = counting_window(
        at("2026-03-31T21:00", NEW_YORK), at("2026-03-31T21:00", NEW_YORK), NEW_YORK
    )

    assert start == at("2026-03-01T00:00", NEW_YORK)  # the month began before the week
    assert end == at("2026-04-06T00:00", NEW_YORK)  # the week (Mon 30 Mar) ends after it


def test_a_student_may_not_move_a_session_inside_the_notice_or_too_often_but_the_mentor_may(uow):
    rules = BookingRules(reschedule_notice=timedelta(hours=24), reschedules_per_session=2)
    soon = a_session(uow, starts_in=timedelta(hours=23))
    moved_twice = replace(a_session(uow, starts_in=timedelta(days=5)), sequence=2)
    moved_once = replace(moved_twice, sequence=1)

    with pytest.raises(RescheduleTooLate):
        rules.check_reschedule(soon, by=Actor.student, now=NOW)
    with pytest.raises(RescheduleLimitReached):
        rules.check_reschedule(moved_twice, by=Actor.student, now=NOW)
    rules.check_reschedule(moved_once, by=Actor.student, now=NOW)
    rules.check_reschedule(soon, by=Actor.mentor, now=NOW)
    rules.check_reschedule(moved_twice, by=Actor.mentor, now=NOW)
    BookingRules().check_reschedule(soon, by=Actor.student, now=NOW)  # no rule, no refusal


def test_zero_is_a_limit_and_none_is_no_limit():
    nothing = ledger(BookingRules(sessions_per_day=0), BERLIN)
    unlimited = ledger(BookingRules(), BERLIN, *[("2026-03-03T10:00", STUDENT)] * 30)

    assert not nothing.allows(at("2026-03-03T10:00", BERLIN), student_id=None)
    assert unlimited.allows(at("2026-03-03T11:00", BERLIN), student_id=STUDENT)
    assert not BookingRules().counts_sessions and BookingRules(sessions_per_day=0).counts_sessions


# ---- the use cases on the fakes ------------------------------------------------------------

TUESDAY_10 = (NOW + timedelta(days=1)).replace(hour=10)  # the builders' mentor works in UTC


def with_rules(uow, **rules) -> None:
    uow.mentors.schedules[MENTOR] = replace(SCHEDULE, rules=BookingRules(**rules))


def book(starts_at: datetime, student: str = STUDENT) -> BookSession:
    return BookSession(student, MENTOR, starts_at, 60, "system design", uuid.uuid4().hex)


async def test_a_full_day_refuses_a_booking_before_packs_is_asked(uow, deps):
    with_rules(uow, sessions_per_day=1)
    a_session(uow, student_id="student-2", starts_in=TUESDAY_10 - NOW + timedelta(hours=3))

    with pytest.raises(DailyLimitReached):
        await book_session(book(TUESDAY_10), deps=deps)  # `deps.packs` fails if asked


async def test_a_canceled_session_does_not_count_against_a_limit(uow, deps):
    with_rules(uow, sessions_per_student_week=1)
    a_session(uow, starts_in=TUESDAY_10 - NOW + timedelta(hours=3), status=SessionStatus.canceled,
              canceled_at=NOW, canceled_by=Actor.student)  # fmt: skip

    with pytest.raises(AssertionError, match="packs.reserve was called"):
        await book_session(book(TUESDAY_10), deps=deps)  # past the rules, on to packs


async def test_a_weekly_limit_counts_only_this_students_sessions(uow, deps):
    with_rules(uow, sessions_per_student_week=1)
    a_session(uow, starts_in=TUESDAY_10 - NOW + timedelta(days=1))  # Wednesday, same week

    with pytest.raises(WeeklyLimitReached):
        await book_session(book(TUESDAY_10), deps=deps)
    with pytest.raises(AssertionError, match="packs.reserve was called"):
        await book_session(book(TUESDAY_10, student="student-2"), deps=deps)


async def test_a_move_into_a_full_day_is_refused_but_a_move_within_the_same_day_is_not(uow, deps):
    with_rules(uow, sessions_per_day=2)
    mine = a_session(uow, starts_in=TUESDAY_10 - NOW)
    a_session(uow, student_id="student-2", starts_in=TUESDAY_10 - NOW + timedelta(hours=2))
    wednesday = a_session(
        uow, student_id="student-3", starts_in=TUESDAY_10 - NOW + timedelta(days=1)
    )
    a_session(uow, student_id="student-4", starts_in=TUESDAY_10 - NOW + timedelta(days=1, hours=2))

    async with uow:
        with pytest.raises(DailyLimitReached):
            await reschedule_session(
                RescheduleSession(wednesday.id, "student-3", TUESDAY_10 + timedelta(hours=4)),
                uow=uow,
                deps=deps,
            )
    async with uow:
        moved = await reschedule_session(
            RescheduleSession(mine.id, STUDENT, TUESDAY_10 + timedelta(hours=4)), uow=uow, deps=deps
        )
        await uow.commit()
    assert moved.starts_at == TUESDAY_10 + timedelta(hours=4)


async def test_a_student_is_refused_a_late_or_one_too_many_reschedule(uow, deps):
    with_rules(uow, reschedule_notice=timedelta(hours=48), reschedules_per_session=1)
    soon = a_session(uow, starts_in=TUESDAY_10 - NOW)  # 26 hours away
    later = a_session(uow, starts_in=TUESDAY_10 - NOW + timedelta(days=2))
    move = lambda session, by, hours: RescheduleSession(  # noqa: E731
        session.id, by, session.starts_at + timedelta(hours=hours)
    )

    async with uow:
        with pytest.raises(RescheduleTooLate):
            await reschedule_session(move(soon, STUDENT, 1), uow=uow, deps=deps)
        moved = await reschedule_session(move(soon, MENTOR, 1), uow=uow, deps=deps)
        assert moved.sequence == 1  # the mentor is not bound by their own rules
        await reschedule_session(move(later, STUDENT, 1), uow=uow, deps=deps)
        with pytest.raises(RescheduleLimitReached):
            await reschedule_session(move(later, STUDENT, 2), uow=uow, deps=deps)


async def test_availability_offers_no_slot_a_rule_would_refuse(uow, deps):
    with_rules(uow, sessions_per_day=2, sessions_per_student_week=2)
    tuesday, wednesday = TUESDAY_10, TUESDAY_10 + timedelta(days=1)
    a_session(uow, starts_in=tuesday - NOW)
    a_session(uow, student_id="student-2", starts_in=tuesday - NOW + timedelta(hours=2))
    a_session(uow, starts_in=wednesday - NOW)
    week = GetAvailability(MENTOR, NOW, NOW + timedelta(days=5), 60)

    anyone = {s.start.date() for s in (await get_availability(week, deps=deps)).slots}
    student = replace(week, student_id=STUDENT)
    mine = {s.start.date() for s in (await get_availability(student, deps=deps)).slots}
    other = replace(week, student_id="student-2")
    theirs = {s.start.date() for s in (await get_availability(other, deps=deps)).slots}

    days = [(NOW + timedelta(days=n)).date() for n in range(5)]  # Monday to Friday
    assert anyone == theirs == {days[0], days[2], days[3], days[4]}  # Tuesday is full
    assert mine == set()  # two this week already: nothing left for this student this week


async def test_a_slot_a_rule_refuses_is_neither_held_nor_announced_to_the_directory(uow, deps):
    with_rules(uow, sessions_per_day=1)
    a_session(uow, student_id="student-2", starts_in=timedelta(hours=2))  # Monday 10:00
    monday_full = SCHEDULE  # without the rule; with it Monday is full, Tuesday 09:00 is next

    with pytest.raises(DailyLimitReached):
        await hold_slot(HoldSlot(STUDENT, MENTOR, NOW + timedelta(hours=4), 60), uow=uow, deps=deps)
    announced = await current_availability(
        MENTOR,
        schedule=uow.mentors.schedules[MENTOR],
        busy=uow.busy,
        bookings=uow.bookings,
        now=NOW,
    )
    without_rules = await current_availability(
        MENTOR, schedule=monday_full, busy=uow.busy, bookings=uow.bookings, now=NOW
    )

    assert without_rules.next_available_at == NOW + timedelta(hours=1)  # Monday 09:00
    assert announced.next_available_at == TUESDAY_10.replace(hour=9)
    assert NOW.date() not in announced.available_days
