"""Refunds owed by the platform; the provider refund itself comes with the payments issue."""

from datetime import datetime
from uuid import UUID

from sqlalchemy.dialects.postgresql import insert

from payments.adapters.tables import refund_requests
from shared.messaging.events import PackPurchaseRejected
from shared.uow import UnitOfWork

REFUND_REQUIRED = "refund_required"


async def require_refund(
    event: PackPurchaseRejected, *, uow: UnitOfWork, event_id: UUID, now: datetime
) -> bool:
    """Record that the order must be refunded in full; once per order, whatever arrives."""
    result = await uow.session.execute(
        insert(refund_requests)
        .values(
            order_id=event.order_id,
            student_id=event.student_id,
            mentor_id=event.mentor_id,
            reason=event.reason[:500],
            status=REFUND_REQUIRED,
            event_id=event_id,
            requested_at=now,
        )
        .on_conflict_do_nothing(index_elements=["order_id"])
        .returning(refund_requests.c.order_id)
    )
    return result.first() is not None
