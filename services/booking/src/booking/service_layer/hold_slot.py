"""Hold a slot for a few minutes while the student fills in the booking form."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

from booking.adapters import holds as holds_repo
from booking.domain.availability import Interval, blocked_by
from booking.domain.errors import TimeSlotUnavailable
from booking.service_layer.availability import bookable_slot, load_schedule
from booking.service_layer.dependencies import Dependencies
from shared.uow import UnitOfWork


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


async def hold_slot(cmd: HoldSlot, *, uow: UnitOfWork, deps: Dependencies) -> SlotHeld:
    """A student keeps one slot per mentor at a time: a new hold replaces their previous one."""
    db = uow.connection
    schedule = await load_schedule(db, cmd.mentor_id)
    now = deps.clock.now()
    slot = await bookable_slot(
        db,
        schedule=schedule,
        mentor_id=cmd.mentor_id,
        start=cmd.starts_at,
        duration_minutes=cmd.duration_minutes,
        deps=deps,
        student_id=cmd.student_id,
    )
    held = SlotHeld(uuid4(), cmd.mentor_id, slot.start, slot.end, now + deps.policy.hold_duration)
    added = await holds_repo.add_hold(
        db,
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
