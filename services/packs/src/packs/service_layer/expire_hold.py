"""Due job: a checkout hold past its deadline frees the seat."""

from collections.abc import Sequence

from packs.adapters.repositories import Due, PacksUnitOfWork
from packs.domain.model import ReleaseReason
from packs.service_layer.dependencies import Dependencies
from packs.service_layer.seat_changes import release_seat


async def holds_ended(*, uow: PacksUnitOfWork, deps: Dependencies, limit: int) -> Sequence[Due]:
    """Held seats whose checkout hold ended (not locked: `expire_hold` claims each)."""
    return await uow.seats.holds_ended(now=deps.clock.now(), limit=limit)


async def expire_hold(due: Due, *, uow: PacksUnitOfWork, deps: Dependencies) -> bool:
    """True if this call released the held seat (another replica may have claimed it)."""
    capacity = await uow.capacity.lock(due.mentor_id, default=deps.policy.default_capacity)
    seat = await uow.seats.claim_hold_ended(due.id, now=deps.clock.now())
    if seat is None:
        return False
    await uow.holds.expire_of_seat(seat.id)
    await release_seat(
        uow=uow, deps=deps, seat=seat, reason=ReleaseReason.hold_ended, capacity=capacity
    )
    return True
