"""A full refund (`payment.refunded`) revokes the pack and frees the seat it alone held."""

from packs.adapters.repositories import PacksUnitOfWork
from packs.domain.model import PackStatus, ReleaseReason
from packs.service_layer.dependencies import Dependencies
from packs.service_layer.seat_changes import release_seat
from shared.logging import get_logger
from shared.messaging.events import PackRevoked, PaymentRefunded

log = get_logger(__name__)


async def revoke_pack(refund: PaymentRefunded, *, uow: PacksUnitOfWork, deps: Dependencies) -> bool:
    """True if a pack was revoked. Partial refunds and orders without a pack change nothing."""
    if not refund.full:
        log.info("refund.partial_keeps_pack", order_id=str(refund.order_id))
        return False
    found = await uow.packs.for_order(refund.order_id)
    if found is None:  # e.g. the refund of a purchase packs rejected
        return False
    now = deps.clock.now()
    capacity = await uow.capacity.lock(found.mentor_id, default=deps.policy.default_capacity)
    packs = await uow.packs.of_pair(
        student_id=found.student_id, mentor_id=found.mentor_id, lock=True
    )
    pack = next(p for p in packs if p.id == found.id)
    if pack.status is PackStatus.refunded:
        return False
    voided = await uow.credits.void_reserved(pack.id, now=now)
    await uow.packs.mark_refunded(pack.id, now=now)
    uow.record(
        PackRevoked(
            pack_id=pack.id,
            order_id=refund.order_id,
            student_id=pack.student_id,
            mentor_id=pack.mentor_id,
            reason=f"refunded; {voided} booked session(s) to cancel",
        ),
    )
    seat = await uow.seats.lock(pack.seat_id)
    others = [p for p in packs if p.seat_id == seat.id and p.id != pack.id]
    still_held = any(p.is_live(now) or p.sessions_reserved > 0 for p in others)
    if seat.is_live and not still_held:
        await release_seat(
            uow=uow, deps=deps, seat=seat, reason=ReleaseReason.refunded, capacity=capacity
        )
    return True
