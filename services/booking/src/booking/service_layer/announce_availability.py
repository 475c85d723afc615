"""`mentor.availability_changed`: the next free slot and the free days, for the directory."""

from datetime import datetime

from booking.adapters import busy as busy_repo
from booking.adapters import mentors as mentors_repo
from booking.domain.availability import BusyTime, Interval, summarize
from booking.domain.schedule import Schedule
from shared.messaging.events import MentorAvailabilityChanged
from shared.uow import UnitOfWork


async def announce_availability(
    mentor_id: str, *, schedule: Schedule, uow: UnitOfWork, now: datetime
) -> None:
    """Record the mentor's availability over the horizon as booking's tables see it now.

    Calendar busy time is not asked here (no provider call inside a transaction): the
    directory's "next available" is a hint; booking re-checks the calendar.
    """
    horizon = Interval(now, now + schedule.horizon)
    taken = await busy_repo.busy_intervals(
        uow.connection, mentor_id=mentor_id, during=horizon, now=now
    )
    summary = summarize(schedule, busy=BusyTime(taken), now=now)
    await mentors_repo.mark_announced(uow.connection, mentor_id)
    uow.record(
        MentorAvailabilityChanged(
            mentor_id=mentor_id,
            next_available_at=summary.next_available_at,
            available_days=summary.available_days,
        )
    )


async def announce_changed_availability(*, uow: UnitOfWork, now: datetime, limit: int) -> int:
    """The due job: announce every mentor whose sessions changed (SKIP LOCKED per mentor).

    Bookings, cancels and reschedules only stamp `sessions.changed_at`; computing the horizon
    here keeps that work out of the booking transaction.
    """
    announced = 0
    for mentor_id in await mentors_repo.mentors_with_changed_sessions(uow.connection, limit=limit):
        row = await mentors_repo.get_mentor(uow.connection, mentor_id)
        assert row is not None
        schedule = mentors_repo.schedule_of(row)
        await announce_availability(mentor_id, schedule=schedule, uow=uow, now=now)
        announced += 1
    return announced
