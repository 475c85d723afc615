"""What a provider's report does to its order: dispatched on the report's type.

The report was read from the provider's JSON in `adapters/` (`stripe_reports`,
`paypal_reports`); here it only meets the order, which is locked for the change.
"""

from payments.adapters.paypal import from_paypal_value
from payments.adapters.repositories import PaymentsUnitOfWork
from payments.domain.model import Order, OrderStatus, Provider
from payments.domain.outcomes import OrderOutcome
from payments.domain.reports import (
    CheckoutEnded,
    EventIgnored,
    OrderReference,
    OrderReport,
    PaymentAwaited,
    PaymentCaptured,
    RefundedTotalSeen,
    RefundSeen,
)
from payments.service_layer.dependencies import Dependencies
from payments.service_layer.order_outcomes import end_unpaid, record_payment, record_refund
from payments.service_layer.payment_checks import mismatched


async def apply_report(
    report: OrderReport | EventIgnored,
    *,
    provider: Provider,
    event_id: str,
    uow: PaymentsUnitOfWork,
    deps: Dependencies,
) -> OrderOutcome:
    """The outcome of one provider report on its order."""
    if isinstance(report, EventIgnored):
        return OrderOutcome.ignored
    order = await _locked_order(report.order, uow=uow)
    if order is None:
        return OrderOutcome.no_such_order
    match report:
        case PaymentCaptured(reported=reported, payment_ref=payment_ref):
            if await mismatched(
                order, reported, provider=provider, event_id=event_id, uow=uow, deps=deps
            ):
                return OrderOutcome.amount_mismatch
            return await record_payment(order, uow=uow, deps=deps, payment_ref=payment_ref)
        case PaymentAwaited():
            return OrderOutcome.awaiting_payment
        case CheckoutEnded(ending=ending, reason=reason):
            return await end_unpaid(
                order, uow=uow, deps=deps, status=OrderStatus(ending), reason=reason
            )
        case RefundedTotalSeen(refunded_total=total):
            return await _catch_up_refunds(order, refunded=total, uow=uow, deps=deps)
        case RefundSeen():
            return await _count_paypal_refund(report, order=order, uow=uow, deps=deps)


async def _locked_order(reference: OrderReference, *, uow: PaymentsUnitOfWork) -> Order | None:
    """The named order, locked: by our id, else (a refund) by the provider's payment id."""
    order = None
    if reference.order_id is not None:
        order = await uow.orders.get(reference.order_id, lock=True)
    if order is None and reference.payment_ref is not None:
        order = await uow.orders.by_payment_ref(reference.payment_ref, lock=True)
    return order


async def _catch_up_refunds(
    order: Order, *, refunded: int | None, uow: PaymentsUnitOfWork, deps: Dependencies
) -> OrderOutcome:
    """Count what Stripe refunded beyond the refunds already counted here."""
    if refunded is None or refunded <= 0:
        return OrderOutcome.refund_without_amount
    delta = min(refunded, order.final_amount) - order.refunded_amount
    if delta <= 0:
        return OrderOutcome.refund_already_counted
    await record_refund(order, uow=uow, deps=deps, amount=delta, reason="refunded at Stripe")
    return OrderOutcome.refunded


async def _count_paypal_refund(
    refund: RefundSeen, *, order: Order, uow: PaymentsUnitOfWork, deps: Dependencies
) -> OrderOutcome:
    """Count a PayPal refund unless it is one of ours (its invoice id is our refund id)."""
    if await uow.refunds.known(
        refund_id=refund.our_refund_id,
        provider_refund_id=refund.provider_refund_id,
    ):
        return OrderOutcome.refund_already_counted
    if refund.value is None:
        return OrderOutcome.refund_without_amount
    amount = min(from_paypal_value(str(refund.value), order.currency), order.refundable)
    if amount <= 0:
        return OrderOutcome.refund_already_counted
    await record_refund(
        order,
        uow=uow,
        deps=deps,
        amount=amount,
        reason="refunded at PayPal",
        provider_refund_id=refund.provider_refund_id,
    )
    return OrderOutcome.refunded
