"""Due job step: a checkout hold past its deadline frees the seat."""

from uuid import UUID

from packs.adapters import capacity as capacity_repo
from packs.adapters import seats as seats_repo
from packs.domain.model import ReleaseReason
from packs.service_layer.dependencies import Dependencies
from packs.service_layer.seat_changes import release_seat
from shared.uow import UnitOfWork


async def expire_hold(
    seat_id: UUID, *, mentor_id: str, uow: UnitOfWork, deps: Dependencies
) -> bool:
    """True if this call released the held seat (another replica may have claimed it)."""
    capacity = await capacity_repo.lock_capacity(
        uow.connection, mentor_id=mentor_id, default=deps.policy.default_capacity
    )
    due = seats_repo.hold_ended(deps.clock.now())
    seat = await seats_repo.claim_seat(uow.connection, seat_id, due=due)
    if seat is None:
        return False
    await seats_repo.expire_holds_of_seat(uow.connection, seat_id=seat.id)
    await release_seat(
        uow=uow, deps=deps, seat=seat, reason=ReleaseReason.hold_ended, capacity=capacity
    )
    return True
