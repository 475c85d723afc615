"""Hold a slot for a few minutes while the student fills in the booking form."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

from booking.adapters.repositories import BookingUnitOfWork
from booking.domain.availability import Interval, blocked_by
from booking.domain.errors import TimeSlotUnavailable
from booking.service_layer.availability import bookable_slot, load_schedule
from booking.service_layer.booking_rules import check_rules
from booking.service_layer.dependencies import Dependencies


@dataclass(frozen=True)
class HoldSlot:
    student_id: str
    mentor_id: str
    starts_at: datetime
    duration_minutes: int


@dataclass(frozen=True)
class SlotHeld:
    hold_id: UUID
    mentor_id: str
    starts_at: datetime
    ends_at: datetime
    expires_at: datetime


async def hold_slot(cmd: HoldSlot, *, uow: BookingUnitOfWork, deps: Dependencies) -> SlotHeld:
    """A student keeps one slot per mentor at a time: a new hold replaces their previous one."""
    schedule = await load_schedule(uow.mentors, cmd.mentor_id)
    now = deps.clock.now()
    slot = await bookable_slot(
        uow.busy,
        schedule=schedule,
        mentor_id=cmd.mentor_id,
        start=cmd.starts_at,
        duration_minutes=cmd.duration_minutes,
        deps=deps,
        student_id=cmd.student_id,
    )
    # A slot the mentor's limits would refuse at booking is not held either (decision 0042).
    await check_rules(
        uow.bookings,
        mentor_id=cmd.mentor_id,
        student_id=cmd.student_id,
        schedule=schedule,
        starts_at=slot.start,
        locked=False,
    )
    held = SlotHeld(uuid4(), cmd.mentor_id, slot.start, slot.end, now + deps.policy.hold_duration)
    added = await uow.holds.add(
        hold_id=held.hold_id,
        mentor_id=cmd.mentor_id,
        student_id=cmd.student_id,
        slot=Interval(slot.start, slot.end),
        blocked=blocked_by(schedule, slot.start, slot.end),
        expires_at=held.expires_at,
        now=now,
    )
    if not added:
        raise TimeSlotUnavailable("another student is holding that time")
    return held
