"""A paid order (`payment.succeeded`) becomes a pack on the student's seat."""

from uuid import UUID

from packs.adapters import capacity as capacity_repo
from packs.adapters import packs as packs_repo
from packs.adapters import seats as seats_repo
from packs.domain.model import HoldStatus, SeatStatus
from packs.domain.seats import open_seats
from packs.service_layer.dependencies import Dependencies
from packs.service_layer.seat_changes import announce_capacity
from shared.logging import get_logger
from shared.messaging.events import PackPurchased, PackPurchaseRejected, PaymentSucceeded
from shared.uow import UnitOfWork

log = get_logger(__name__)


async def fulfil_purchase(
    purchase: PaymentSucceeded, *, uow: UnitOfWork, deps: Dependencies
) -> UUID | None:
    """The new pack's id; None if the order already has a pack or no seat could be given.

    The student's live seat is reused: held → active, grace → active (grace cleared), active
    stays active and the new pack stacks on it. Without a live seat a free one is taken; if
    the mentor is full the purchase is rejected and payments refunds it.
    """
    connection = uow.connection
    if await packs_repo.pack_for_order(connection, purchase.order_id) is not None:
        log.info("purchase.already_fulfilled", order_id=str(purchase.order_id))
        return None
    now = deps.clock.now()
    capacity = await capacity_repo.lock_capacity(
        connection, mentor_id=purchase.mentor_id, default=deps.policy.default_capacity
    )
    seat = await seats_repo.live_seat(
        connection, student_id=purchase.student_id, mentor_id=purchase.mentor_id, lock=True
    )
    renewal = seat is not None and seat.status in (SeatStatus.active, SeatStatus.grace)
    if seat is None:
        live = await capacity_repo.count_live_seats(connection, mentor_id=purchase.mentor_id)
        if open_seats(capacity=capacity, live=live) == 0:
            await _reject(purchase, uow=uow, deps=deps, capacity=capacity)
            return None
        seat = await seats_repo.add_seat(
            connection,
            student_id=purchase.student_id,
            mentor_id=purchase.mentor_id,
            status=SeatStatus.active,
            now=now,
        )
        await announce_capacity(uow=uow, deps=deps, mentor_id=purchase.mentor_id, capacity=capacity)
    elif seat.status is not SeatStatus.active:
        await seats_repo.activate(connection, seat_id=seat.id, now=now)
    await seats_repo.set_hold_status(connection, order_id=purchase.order_id, status=HoldStatus.paid)
    pack_id, expires_at = await packs_repo.add_pack(
        connection, purchase=purchase, seat_id=seat.id, now=now
    )
    uow.record(
        PackPurchased(
            pack_id=pack_id,
            order_id=purchase.order_id,
            seat_id=seat.id,
            student_id=purchase.student_id,
            mentor_id=purchase.mentor_id,
            sessions_total=purchase.pack.sessions_count,
            session_minutes=purchase.pack.session_minutes,
            expires_at=expires_at,
            renewal=renewal,
        ),
    )
    return pack_id


async def _reject(
    purchase: PaymentSucceeded, *, uow: UnitOfWork, deps: Dependencies, capacity: int
) -> None:
    log.warning("purchase.rejected_mentor_full", order_id=str(purchase.order_id))
    await seats_repo.set_hold_status(
        uow.connection, order_id=purchase.order_id, status=HoldStatus.expired
    )
    uow.record(
        PackPurchaseRejected(
            order_id=purchase.order_id,
            student_id=purchase.student_id,
            mentor_id=purchase.mentor_id,
            reason=f"the checkout's seat hold had ended and all {capacity} seats are taken",
        ),
    )
