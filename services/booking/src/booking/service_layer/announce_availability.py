"""`mentor.availability_changed`: the next free slot and the free days, for the directory."""

from datetime import datetime
from functools import partial

from booking.adapters.repositories import BookingRepository, BookingUnitOfWork, BusyRepository
from booking.domain.availability import BusyTime, Interval, summarize
from booking.domain.schedule import Schedule
from booking.service_layer.booking_rules import ledger
from booking.service_layer.dependencies import Dependencies
from shared.messaging.events import MentorAvailabilityChanged


async def current_availability(
    mentor_id: str,
    *,
    schedule: Schedule,
    busy: BusyRepository,
    bookings: BookingRepository,
    now: datetime,
) -> MentorAvailabilityChanged:
    """The mentor's availability over the horizon as booking's tables see it now.

    Calendar busy time is not asked here (no provider call inside a transaction): the
    directory's "next available" is a hint; booking re-checks the calendar.
    """
    horizon = Interval(now, now + schedule.horizon)
    taken = await busy.intervals(mentor_id=mentor_id, during=horizon, now=now)
    allows = None
    if schedule.rules.counts_sessions:  # a day at the mentor's daily limit is not "available"
        limits = await ledger(
            bookings,
            mentor_id=mentor_id,
            rules=schedule.rules,
            schedule=schedule,
            start=horizon.start,
            end=horizon.end,
        )
        allows = partial(limits.allows, student_id=None)
    summary = summarize(schedule, busy=BusyTime(taken), now=now, allows=allows)
    return MentorAvailabilityChanged(
        mentor_id=mentor_id,
        next_available_at=summary.next_available_at,
        available_days=summary.available_days,
    )


async def announce_availability(
    mentor_id: str, *, schedule: Schedule, uow: BookingUnitOfWork, now: datetime
) -> None:
    """Record the mentor's current availability and that it was announced."""
    event = await current_availability(
        mentor_id, schedule=schedule, busy=uow.busy, bookings=uow.bookings, now=now
    )
    await uow.mentors.mark_announced(mentor_id)
    uow.record(event)


async def mentors_to_announce(
    *, uow: BookingUnitOfWork, deps: Dependencies, limit: int
) -> list[str]:
    """Mentors whose sessions changed since the last announcement (not locked)."""
    return await uow.mentors.with_changed_sessions(limit=limit)


async def announce_changed_availability(
    mentor_id: str, *, uow: BookingUnitOfWork, deps: Dependencies
) -> bool:
    """The due job's step: announce a mentor whose sessions changed (SKIP LOCKED per mentor).

    Bookings, cancels and reschedules only stamp `sessions.changed_at`; computing the horizon
    here keeps that work out of the booking transaction.
    """
    schedule = await uow.mentors.claim_changed(mentor_id)
    if schedule is None:
        return False
    await announce_availability(mentor_id, schedule=schedule, uow=uow, now=deps.clock.now())
    return True
