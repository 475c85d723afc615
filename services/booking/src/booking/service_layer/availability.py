"""Availability of a mentor for a range: what a student may pick, and what may be booked."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from booking.adapters.repositories import BusyRepository, MentorRepository
from booking.domain.availability import (
    MAX_RANGE,
    BusyTime,
    Interval,
    Slot,
    blocked_by,
    check_bookable,
    check_free,
    check_request,
    free_slots,
)
from booking.domain.calendar import CalendarStatus
from booking.domain.errors import CalendarUnavailable, InvalidRange, MentorNotFound
from booking.domain.schedule import Schedule
from booking.service_layer.booking_rules import allowed_slots, ledger
from booking.service_layer.dependencies import Dependencies


@dataclass(frozen=True)
class GetAvailability:
    mentor_id: str
    start: datetime
    end: datetime
    duration_minutes: int
    student_id: str | None = None
    """The student reading, if known: their own limits with the mentor apply too."""


@dataclass(frozen=True)
class Availability:
    mentor_timezone: str
    slots: list[Slot]
    calendar_status: CalendarStatus


async def load_schedule(mentors: MentorRepository, mentor_id: str) -> Schedule:
    schedule = await mentors.schedule(mentor_id)
    if schedule is None:
        raise MentorNotFound(f"no mentor profile {mentor_id}")
    return schedule


async def get_availability(query: GetAvailability, *, deps: Dependencies) -> Availability:
    """Free slots; with the calendar unreachable nothing is offered and the answer says why.

    One read outside any transaction: the schedule and booking's busy time together (and,
    for a mentor with limits, the sessions that count against them: a slot a rule would
    refuse is never offered).
    """
    now = deps.clock.now()
    async with deps.own_reads() as reads:
        found = await reads.bookings.mentor_time(
            mentor_id=query.mentor_id, during=Interval(query.start, query.end), now=now
        )
        if found is None:
            raise MentorNotFound(f"no mentor profile {query.mentor_id}")
        schedule, taken = found
        limits = None
        if schedule.rules.counts_sessions and timedelta(0) < query.end - query.start <= MAX_RANGE:
            limits = await ledger(
                reads.bookings,
                mentor_id=query.mentor_id,
                rules=schedule.rules,
                schedule=schedule,
                start=query.start,
                end=query.end,
            )
    check_request(
        schedule, start=query.start, end=query.end, duration_minutes=query.duration_minutes
    )
    if query.end - query.start > MAX_RANGE:
        raise InvalidRange(f"at most {MAX_RANGE.days} days at a time")
    window = Interval(query.start - _margin(schedule), query.end + _margin(schedule))
    calendar = await deps.calendar.busy(query.mentor_id, window)
    if calendar.status is CalendarStatus.unavailable:
        return Availability(schedule.timezone, [], calendar.status)
    slots = free_slots(
        schedule,
        start=query.start,
        end=query.end,
        duration_minutes=query.duration_minutes,
        busy=BusyTime([*taken, *calendar.intervals]),
        now=now,
    )
    if limits is not None:
        slots = allowed_slots(slots, ledger=limits, student_id=query.student_id)
    return Availability(schedule.timezone, slots, calendar.status)


def _margin(schedule: Schedule) -> timedelta:
    return schedule.buffer_before + schedule.buffer_after + timedelta(days=1)


async def bookable_slot(
    busy: BusyRepository,
    *,
    schedule: Schedule,
    mentor_id: str,
    start: datetime,
    duration_minutes: int,
    deps: Dependencies,
    student_id: str | None = None,
    except_session: UUID | None = None,
) -> Slot:
    """The slot if it is free now in booking's tables and in the mentor's calendar."""
    end = start + timedelta(minutes=duration_minutes)
    taken = await busy.intervals(
        mentor_id=mentor_id,
        during=blocked_by(schedule, start, end),
        now=deps.clock.now(),
        student_id=student_id,
        except_session=except_session,
    )
    return await free_slot(
        schedule,
        taken=taken,
        mentor_id=mentor_id,
        start=start,
        duration_minutes=duration_minutes,
        deps=deps,
    )


async def free_slot(
    schedule: Schedule,
    *,
    taken: list[Interval],
    mentor_id: str,
    start: datetime,
    duration_minutes: int,
    deps: Dependencies,
) -> Slot:
    """The slot if `taken` (booking's tables) and the mentor's calendar leave it free."""
    now = deps.clock.now()
    around = blocked_by(schedule, start, start + timedelta(minutes=duration_minutes))
    slot = check_bookable(
        schedule, start=start, duration_minutes=duration_minutes, busy=BusyTime(taken), now=now
    )
    calendar = await deps.calendar.busy(mentor_id, around)
    if calendar.status is CalendarStatus.unavailable:
        raise CalendarUnavailable("the mentor's calendar did not answer; try again shortly")
    check_free(schedule, slot, busy=BusyTime(calendar.intervals))
    return slot
