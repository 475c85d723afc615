"""What happens to an order when the provider reports: paid, failed, expired, refunded.

Each step works on the order locked in the caller's unit of work and announces its effect
through the outbox; a report that cannot move the status forward changes nothing.
"""

from uuid import UUID, uuid4

from payments.adapters.repositories import PaymentsUnitOfWork
from payments.domain.model import Order, OrderStatus
from payments.domain.outcomes import OrderOutcome
from payments.service_layer.dependencies import Dependencies
from payments.service_layer.receipts import issue_purchase_receipt, issue_refund_receipt
from shared.logging import get_logger
from shared.messaging.events import PackShape, PaymentFailed, PaymentRefunded, PaymentSucceeded

log = get_logger(__name__)


async def record_payment(
    order: Order, *, uow: PaymentsUnitOfWork, deps: Dependencies, payment_ref: str | None
) -> OrderOutcome:
    """Fulfil a pending order (`payment.succeeded`); paid after it ended: owed back."""
    now = deps.clock.now()
    if order.ended_unpaid:
        await uow.refunds.require_full_refund(
            order_id=order.order_id,
            student_id=order.student_id,
            mentor_id=order.mentor_id,
            reason="paid after the checkout had ended",
            event_id=order.order_id,
            now=now,
        )
        if payment_ref:
            order.payment_ref = payment_ref
            await uow.orders.save(order, now=now)
        return OrderOutcome.owed_back
    if not order.pay(now):
        return OrderOutcome.unchanged
    order.payment_ref = payment_ref
    await uow.orders.save(order, now=now)
    uow.record(
        PaymentSucceeded(
            order_id=order.order_id,
            student_id=order.student_id,
            mentor_id=order.mentor_id,
            product_id=order.product_id,
            amount=order.final_amount,
            currency=order.currency,
            provider=order.provider.value,
            paid_at=now,
            pack=PackShape(
                sessions_count=order.pack.sessions_count,
                session_minutes=order.pack.session_minutes,
                validity_days=order.pack.validity_days,
            ),
        ),
    )
    issue_purchase_receipt(order, uow=uow, deps=deps)
    return OrderOutcome.paid


async def end_unpaid(
    order: Order, *, uow: PaymentsUnitOfWork, deps: Dependencies, status: OrderStatus, reason: str
) -> OrderOutcome:
    """Fail or expire a pending order: `payment.failed` frees the hold, the promo comes back."""
    if not order.end_unpaid(status):
        return OrderOutcome.unchanged
    now = deps.clock.now()
    order.failure_reason = reason[:500]
    await _return_promo(order, uow=uow)
    await uow.orders.save(order, now=now, ended=True)
    uow.record(
        PaymentFailed(
            order_id=order.order_id,
            student_id=order.student_id,
            mentor_id=order.mentor_id,
            reason=reason[:500],
        ),
    )
    return OrderOutcome(status)


async def orders_past_expiry(
    *, uow: PaymentsUnitOfWork, deps: Dependencies, limit: int
) -> list[UUID]:
    """Pending orders whose checkout ended (not locked: `expire_unpaid` claims each)."""
    return await uow.orders.pending_past_expiry(now=deps.clock.now(), limit=limit)


async def expire_unpaid(order_id: UUID, *, uow: PaymentsUnitOfWork, deps: Dependencies) -> bool:
    """The backstop for a checkout the provider never reported as ended; True if it expired."""
    order = await uow.orders.get(order_id, lock=True)
    if order is None or not order.checkout_over(deps.clock.now()):
        return False  # paid, ended or extended meanwhile
    ended = await end_unpaid(
        order, uow=uow, deps=deps, status=OrderStatus.expired, reason="the checkout was never paid"
    )
    return ended is OrderOutcome.expired


async def record_refund(
    order: Order,
    *,
    uow: PaymentsUnitOfWork,
    deps: Dependencies,
    amount: int,
    refund_id: UUID | None = None,
    reason: str,
    provider_refund_id: str | None = None,
) -> UUID:
    """Count a refund on the order (never past what was paid) and announce `payment.refunded`.

    A refund seen before the payment ends the order `refunded` without fulfilment, and
    `payment.failed` frees its seat hold.
    """
    effect = order.refund(amount)
    now = deps.clock.now()
    refund_id = refund_id or uuid4()
    await uow.refunds.add_succeeded(
        refund_id=refund_id,
        order_id=order.order_id,
        amount=amount,
        reason=reason,
        provider_refund_id=provider_refund_id,
        now=now,
    )
    await uow.orders.save(order, now=now)
    if effect.before_payment:
        await _return_promo(order, uow=uow)
        await uow.orders.save(order, now=now, ended=True)
        uow.record(
            PaymentFailed(
                order_id=order.order_id,
                student_id=order.student_id,
                mentor_id=order.mentor_id,
                reason="refunded before it was fulfilled",
            ),
        )
    uow.record(
        PaymentRefunded(
            order_id=order.order_id,
            refund_id=refund_id,
            student_id=order.student_id,
            mentor_id=order.mentor_id,
            amount=amount,
            currency=order.currency,
            full=effect.full,
            refunded_at=now,
        ),
    )
    issue_refund_receipt(
        order,
        refund_id=refund_id,
        amount=amount,
        provider_refund_id=provider_refund_id,
        uow=uow,
        deps=deps,
    )
    return refund_id


async def _return_promo(order: Order, *, uow: PaymentsUnitOfWork) -> None:
    if order.take_back_promo():
        assert order.promo_code is not None
        await uow.promos.give_back(order.promo_code)
