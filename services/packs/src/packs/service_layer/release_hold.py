"""A checkout that failed or expired (`payment.failed`) gives its held seat back."""

from uuid import UUID

from packs.adapters import capacity as capacity_repo
from packs.adapters import seats as seats_repo
from packs.domain.model import HoldStatus, ReleaseReason, SeatStatus
from packs.service_layer.dependencies import Dependencies
from packs.service_layer.seat_changes import release_seat
from shared.uow import UnitOfWork


async def release_hold(order_id: UUID, *, uow: UnitOfWork, deps: Dependencies) -> bool:
    """True if a held seat was freed; a seat other checkouts still hold stays held."""
    connection = uow.connection
    hold = await seats_repo.get_hold(connection, order_id)
    if hold is None or hold.status != HoldStatus.pending:
        return False
    capacity = await capacity_repo.lock_capacity(
        connection, mentor_id=hold.mentor_id, default=deps.policy.default_capacity
    )
    seat = await seats_repo.lock_seat(connection, hold.seat_id)
    await seats_repo.set_hold_status(connection, order_id=order_id, status=HoldStatus.released)
    if seat.status is not SeatStatus.held:
        return False
    others = await seats_repo.other_open_holds(
        connection, seat_id=seat.id, order_id=order_id, now=deps.clock.now()
    )
    if others:
        return False
    await release_seat(
        uow=uow, deps=deps, seat=seat, reason=ReleaseReason.hold_ended, capacity=capacity
    )
    return True
