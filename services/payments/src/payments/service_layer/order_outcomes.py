"""What happens to an order when the provider reports: paid, failed, expired, refunded.

Each step runs on the order's locked row in the caller's unit of work and announces its
effect through the outbox; a report that cannot move the status forward changes nothing.
"""

from uuid import UUID, uuid4

from payments.adapters import orders as orders_repo
from payments.adapters import promos as promos_repo
from payments.adapters import refunds as refunds_repo
from payments.domain.model import ENDED_UNPAID, Order, OrderStatus
from payments.service_layer.context import Context
from shared.db import AnyRow
from shared.logging import get_logger
from shared.messaging.events import PackShape, PaymentFailed, PaymentRefunded, PaymentSucceeded
from shared.uow import UnitOfWork

log = get_logger(__name__)


async def record_payment(
    row: AnyRow, *, uow: UnitOfWork, ctx: Context, payment_ref: str | None
) -> str:
    """Fulfil a pending order (`payment.succeeded`); paid after it ended: owed back."""
    order = orders_repo.to_order(row)
    now = ctx.clock.now()
    if order.status in ENDED_UNPAID:
        await refunds_repo.require_full_refund(
            uow.connection, row=row, reason="paid after the checkout had ended", now=now
        )
        if payment_ref:
            await orders_repo.save(uow.connection, order, now=now, payment_ref=payment_ref)
        return f"paid after {order.status}: refund required"
    if not order.pay(now):
        return f"already {order.status}"
    await orders_repo.save(uow.connection, order, now=now, payment_ref=payment_ref)
    uow.record(
        PaymentSucceeded(
            order_id=row.order_id,
            student_id=row.student_id,
            mentor_id=row.mentor_id,
            product_id=row.product_id,
            amount=row.final_amount,
            currency=row.currency,
            provider=row.provider,
            paid_at=now,
            pack=PackShape(
                sessions_count=row.sessions_count,
                session_minutes=row.session_minutes,
                validity_days=row.validity_days,
            ),
        ),
    )
    return "paid"


async def end_unpaid(
    row: AnyRow, *, uow: UnitOfWork, ctx: Context, status: OrderStatus, reason: str
) -> str:
    """Fail or expire a pending order: `payment.failed` frees the hold, the promo comes back."""
    order = orders_repo.to_order(row)
    if not order.end_unpaid(status):
        return f"already {order.status}"
    now = ctx.clock.now()
    await _return_promo(order, uow=uow)
    await orders_repo.save(
        uow.connection, order, now=now, failure_reason=reason[:500], ended_at=now
    )
    uow.record(
        PaymentFailed(
            order_id=row.order_id,
            student_id=row.student_id,
            mentor_id=row.mentor_id,
            reason=reason[:500],
        ),
    )
    return str(status)


async def record_refund(
    row: AnyRow,
    *,
    uow: UnitOfWork,
    ctx: Context,
    amount: int,
    refund_id: UUID | None = None,
    reason: str,
    provider_refund_id: str | None = None,
) -> UUID:
    """Count a refund on the order (never past what was paid) and announce `payment.refunded`.

    A refund seen before the payment ends the order `refunded` without fulfilment, and
    `payment.failed` frees its seat hold.
    """
    order = orders_repo.to_order(row)
    effect = order.refund(amount)
    now = ctx.clock.now()
    refund_id = refund_id or uuid4()
    await refunds_repo.add_succeeded(
        uow.connection,
        refund_id=refund_id,
        order_id=row.order_id,
        amount=amount,
        reason=reason,
        provider_refund_id=provider_refund_id,
        now=now,
    )
    await orders_repo.save(uow.connection, order, now=now)
    if effect.before_payment:
        await _return_promo(order, uow=uow)
        await orders_repo.save(uow.connection, order, now=now, ended_at=now)
        uow.record(
            PaymentFailed(
                order_id=row.order_id,
                student_id=row.student_id,
                mentor_id=row.mentor_id,
                reason="refunded before it was fulfilled",
            ),
        )
    uow.record(
        PaymentRefunded(
            order_id=row.order_id,
            refund_id=refund_id,
            student_id=row.student_id,
            mentor_id=row.mentor_id,
            amount=amount,
            currency=row.currency,
            full=effect.full,
            refunded_at=now,
        ),
    )
    return refund_id


async def _return_promo(order: Order, *, uow: UnitOfWork) -> None:
    if order.take_back_promo():
        assert order.promo_code is not None
        await promos_repo.give_back(uow.connection, order.promo_code)
