"""A full refund (`payment.refunded`) revokes the pack and frees the seat it alone held."""

from packs.adapters import capacity as capacity_repo
from packs.adapters import credits as credits_repo
from packs.adapters import packs as packs_repo
from packs.adapters import seats as seats_repo
from packs.domain.model import PackStatus, ReleaseReason
from packs.service_layer.dependencies import Dependencies
from packs.service_layer.seat_changes import release_seat
from shared.logging import get_logger
from shared.messaging.events import PackRevoked, PaymentRefunded
from shared.uow import UnitOfWork

log = get_logger(__name__)


async def revoke_pack(refund: PaymentRefunded, *, uow: UnitOfWork, deps: Dependencies) -> bool:
    """True if a pack was revoked. Partial refunds and orders without a pack change nothing."""
    connection = uow.connection
    if not refund.full:
        log.info("refund.partial_keeps_pack", order_id=str(refund.order_id))
        return False
    found = await packs_repo.pack_for_order(connection, refund.order_id)
    if found is None:  # e.g. the refund of a purchase packs rejected
        return False
    now = deps.clock.now()
    capacity = await capacity_repo.lock_capacity(
        connection, mentor_id=found.mentor_id, default=deps.policy.default_capacity
    )
    packs = await packs_repo.packs_of_pair(
        connection, student_id=found.student_id, mentor_id=found.mentor_id, lock=True
    )
    pack = next(p for p in packs if p.id == found.id)
    if pack.status is PackStatus.refunded:
        return False
    voided = await credits_repo.void_reserved_of_pack(connection, pack_id=pack.id, now=now)
    await packs_repo.mark_refunded(connection, pack_id=pack.id, now=now)
    uow.record(
        PackRevoked(
            pack_id=pack.id,
            order_id=refund.order_id,
            student_id=pack.student_id,
            mentor_id=pack.mentor_id,
            reason=f"refunded; {voided} booked session(s) to cancel",
        ),
    )
    seat = await seats_repo.lock_seat(connection, pack.seat_id)
    others = [p for p in packs if p.seat_id == seat.id and p.id != pack.id]
    still_held = any(p.is_live(now) or p.sessions_reserved > 0 for p in others)
    if seat.is_live and not still_held:
        await release_seat(
            uow=uow, deps=deps, seat=seat, reason=ReleaseReason.refunded, capacity=capacity
        )
    return True
