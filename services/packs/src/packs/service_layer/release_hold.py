"""A checkout that failed or expired (`payment.failed`) gives its held seat back."""

from uuid import UUID

from packs.adapters.repositories import PacksUnitOfWork
from packs.domain.model import HoldStatus, ReleaseReason, SeatStatus
from packs.service_layer.dependencies import Dependencies
from packs.service_layer.seat_changes import release_seat


async def release_hold(order_id: UUID, *, uow: PacksUnitOfWork, deps: Dependencies) -> bool:
    """True if a held seat was freed; a seat other checkouts still hold stays held, and so
    does a waitlist offer's seat until the offer expires."""
    hold = await uow.holds.get(order_id)
    if hold is None or hold.status != HoldStatus.pending:
        return False
    capacity = await uow.capacity.lock(hold.mentor_id, default=deps.policy.default_capacity)
    seat = await uow.seats.lock(hold.seat_id)
    await uow.holds.set_status(order_id, HoldStatus.released)
    if seat.status is not SeatStatus.held:
        return False
    now = deps.clock.now()
    if await uow.holds.others_open(seat_id=seat.id, order_id=order_id, now=now):
        return False
    offer = await uow.waitlist.offer_of_seat(seat.id)
    if offer is not None and offer.offer_expires_at is not None and offer.offer_expires_at > now:
        return False
    await release_seat(
        uow=uow, deps=deps, seat=seat, reason=ReleaseReason.hold_ended, capacity=capacity
    )
    return True
