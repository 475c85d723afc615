"""A paid event is compared with its order before anything is fulfilled."""

from payments.adapters.repositories import PaymentsUnitOfWork
from payments.domain.model import Order, Provider
from payments.domain.payment_check import ReportedPayment, mismatch_of
from payments.metrics import AMOUNT_MISMATCHES
from payments.service_layer.dependencies import Dependencies
from shared.logging import get_logger

log = get_logger(__name__)


async def mismatched(
    order: Order,
    reported: ReportedPayment,
    *,
    provider: Provider,
    event_id: str,
    uow: PaymentsUnitOfWork,
    deps: Dependencies,
) -> bool:
    """False if the provider reports the order's exact amount and currency; otherwise the
    mismatch is recorded for operators, logged as a warning and counted, and the order is
    left as it is (never fulfilled by this event)."""
    mismatch = mismatch_of(reported, amount=order.final_amount, currency=order.currency)
    if mismatch is None:
        return False
    await uow.mismatches.add(
        order_id=order.order_id,
        provider=provider,
        event_id=event_id,
        mismatch=mismatch,
        now=deps.clock.now(),
    )
    AMOUNT_MISMATCHES.labels(provider=provider).inc()
    log.warning(
        "payment.amount_mismatch",
        order_id=str(order.order_id),
        provider=provider,
        event_id=event_id,
        expected_amount=mismatch.expected_amount,
        expected_currency=mismatch.expected_currency,
        reported_amount=reported.amount,
        reported_currency=reported.currency,
    )
    return True
