"""A paid order (`payment.succeeded`) becomes a pack on the student's seat."""

from uuid import UUID

from packs.adapters.repositories import PacksUnitOfWork
from packs.domain.model import HoldStatus, SeatStatus, WaitlistStatus
from packs.domain.seats import open_seats
from packs.service_layer.dependencies import Dependencies
from packs.service_layer.seat_changes import announce_capacity
from shared.logging import get_logger
from shared.messaging.events import PackPurchased, PackPurchaseRejected, PaymentSucceeded

log = get_logger(__name__)


async def fulfil_purchase(
    purchase: PaymentSucceeded, *, uow: PacksUnitOfWork, deps: Dependencies
) -> UUID | None:
    """The new pack's id; None if the order already has a pack or no seat could be given.

    The student's live seat is reused: held → active, grace → active (grace cleared), active
    stays active and the new pack stacks on it. Without a live seat a free one is taken; if
    the mentor is full the purchase is rejected and payments refunds it.
    """
    if await uow.packs.for_order(purchase.order_id) is not None:
        log.info("purchase.already_fulfilled", order_id=str(purchase.order_id))
        return None
    now = deps.clock.now()
    capacity = await uow.capacity.lock(purchase.mentor_id, default=deps.policy.default_capacity)
    seat = await uow.seats.live_of(
        student_id=purchase.student_id, mentor_id=purchase.mentor_id, lock=True
    )
    renewal = seat is not None and seat.status in (SeatStatus.active, SeatStatus.grace)
    if seat is None:
        live = await uow.capacity.live_seats(purchase.mentor_id)
        if open_seats(capacity=capacity, live=live) == 0:
            await _reject(purchase, uow=uow, deps=deps, capacity=capacity)
            return None
        seat = await uow.seats.add(
            student_id=purchase.student_id,
            mentor_id=purchase.mentor_id,
            status=SeatStatus.active,
            now=now,
        )
        # Counted above under the capacity lock, plus the seat just added: no recount.
        await announce_capacity(
            uow=uow, deps=deps, mentor_id=purchase.mentor_id, capacity=capacity, live=live + 1
        )
    elif seat.status is not SeatStatus.active:
        if seat.status is SeatStatus.held and (offer := await uow.waitlist.offer_of_seat(seat.id)):
            await uow.waitlist.end(offer.id, status=WaitlistStatus.accepted, now=now)
        await uow.seats.activate(seat.id, now=now)
    await uow.holds.set_status(purchase.order_id, HoldStatus.paid)
    pack_id, expires_at = await uow.packs.add(purchase=purchase, seat_id=seat.id, now=now)
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
    purchase: PaymentSucceeded, *, uow: PacksUnitOfWork, deps: Dependencies, capacity: int
) -> None:
    log.warning("purchase.rejected_mentor_full", order_id=str(purchase.order_id))
    await uow.holds.set_status(purchase.order_id, HoldStatus.expired)
    uow.record(
        PackPurchaseRejected(
            order_id=purchase.order_id,
            student_id=purchase.student_id,
            mentor_id=purchase.mentor_id,
            reason=f"the checkout's seat hold had ended and all {capacity} seats are taken",
        ),
    )
