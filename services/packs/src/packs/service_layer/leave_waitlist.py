"""A student leaves a mentor's waitlist; an offer they held passes to the next in line."""

from dataclasses import dataclass

from packs.adapters.repositories import PacksUnitOfWork
from packs.domain.model import ReleaseReason, SeatStatus, WaitlistStatus
from packs.service_layer.dependencies import Dependencies
from packs.service_layer.seat_changes import release_seat


@dataclass(frozen=True)
class LeaveWaitlist:
    student_id: str
    mentor_id: str


async def leave_waitlist(cmd: LeaveWaitlist, *, uow: PacksUnitOfWork, deps: Dependencies) -> bool:
    """True if the student had a place; leaving twice changes nothing the second time."""
    capacity = await uow.capacity.lock(cmd.mentor_id, default=deps.policy.default_capacity)
    entry = await uow.waitlist.open_of(student_id=cmd.student_id, mentor_id=cmd.mentor_id)
    if entry is None:
        return False
    await uow.waitlist.end(entry.id, status=WaitlistStatus.left, now=deps.clock.now())
    if entry.status is WaitlistStatus.offered and entry.offer_seat_id is not None:
        seat = await uow.seats.lock(entry.offer_seat_id)
        if seat.status is SeatStatus.held:
            await uow.holds.expire_of_seat(seat.id)  # a checkout begun on the offer ends too
            await release_seat(
                uow=uow, deps=deps, seat=seat, reason=ReleaseReason.hold_ended, capacity=capacity
            )
    return True
