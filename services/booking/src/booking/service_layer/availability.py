"""Availability of a mentor for a range: what a student may pick, and what may be booked."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from booking.adapters import busy as busy_repo
from booking.adapters import mentors as mentors_repo
from booking.domain.availability import (
    MAX_RANGE,
    BusyTime,
    Interval,
    Slot,
    blocked_by,
    check_bookable,
    check_request,
    free_slots,
)
from booking.domain.calendar import CalendarStatus
from booking.domain.errors import CalendarUnavailable, InvalidRange, MentorNotFound
from booking.domain.schedule import Schedule
from booking.service_layer.dependencies import Dependencies
from shared.db import DbConnection


@dataclass(frozen=True)
class GetAvailability:
    mentor_id: str
    start: datetime
    end: datetime
    duration_minutes: int


@dataclass(frozen=True)
class Availability:
    mentor_timezone: str
    slots: list[Slot]
    calendar_status: CalendarStatus


async def load_schedule(db: DbConnection, mentor_id: str) -> Schedule:
    row = await mentors_repo.get_mentor(db, mentor_id)
    if row is None:
        raise MentorNotFound(f"no mentor profile {mentor_id}")
    return mentors_repo.schedule_of(row)


async def get_availability(
    query: GetAvailability, *, db: DbConnection, deps: Dependencies
) -> Availability:
    """Free slots; with the calendar unreachable nothing is offered and the answer says why."""
    schedule = await load_schedule(db, query.mentor_id)
    now = deps.clock.now()
    check_request(
        schedule, start=query.start, end=query.end, duration_minutes=query.duration_minutes
    )
    if query.end - query.start > MAX_RANGE:
        raise InvalidRange(f"at most {MAX_RANGE.days} days at a time")
    window = Interval(query.start - _margin(schedule), query.end + _margin(schedule))
    calendar = await deps.calendar.busy(query.mentor_id, window)
    if calendar.status is CalendarStatus.unavailable:
        return Availability(schedule.timezone, [], calendar.status)
    taken = await busy_repo.busy_intervals(db, mentor_id=query.mentor_id, during=window, now=now)
    slots = free_slots(
        schedule,
        start=query.start,
        end=query.end,
        duration_minutes=query.duration_minutes,
        busy=BusyTime([*taken, *calendar.intervals]),
        now=now,
    )
    return Availability(schedule.timezone, slots, calendar.status)


def _margin(schedule: Schedule) -> timedelta:
    return schedule.buffer_before + schedule.buffer_after + timedelta(days=1)


async def bookable_slot(
    db: DbConnection,
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
    now = deps.clock.now()
    end = start + timedelta(minutes=duration_minutes)
    around = blocked_by(schedule, start, end)
    taken = await busy_repo.busy_intervals(
        db,
        mentor_id=mentor_id,
        during=around,
        now=now,
        student_id=student_id,
        except_session=except_session,
    )
    slot = check_bookable(
        schedule, start=start, duration_minutes=duration_minutes, busy=BusyTime(taken), now=now
    )
    calendar = await deps.calendar.busy(mentor_id, around)
    if calendar.status is CalendarStatus.unavailable:
        raise CalendarUnavailable("the mentor's calendar did not answer; try again shortly")
    check_bookable(
        schedule,
        start=start,
        duration_minutes=duration_minutes,
        busy=BusyTime(calendar.intervals),
        now=now,
    )
    return slot
