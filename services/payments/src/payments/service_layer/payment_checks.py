"""A paid event is compared with its order before anything is fulfilled."""

from payments.adapters import mismatches as mismatches_repo
from payments.domain.payment_check import ReportedPayment, mismatch_of
from payments.metrics import AMOUNT_MISMATCHES
from payments.service_layer.context import Context
from shared.db import AnyRow
from shared.logging import get_logger
from shared.uow import UnitOfWork

log = get_logger(__name__)


async def mismatch_outcome(
    row: AnyRow,
    reported: ReportedPayment,
    *,
    provider: str,
    event_id: str,
    uow: UnitOfWork,
    ctx: Context,
) -> str | None:
    """None if the provider reports the order's exact amount and currency; otherwise the
    mismatch is recorded for operators, logged as a warning and counted, and the order is
    left as it is (never fulfilled by this event)."""
    mismatch = mismatch_of(reported, amount=row.final_amount, currency=row.currency)
    if mismatch is None:
        return None
    await mismatches_repo.add(
        uow.connection,
        order_id=row.order_id,
        provider=provider,
        event_id=event_id,
        mismatch=mismatch,
        now=ctx.clock.now(),
    )
    AMOUNT_MISMATCHES.labels(provider=provider).inc()
    log.warning(
        "payment.amount_mismatch",
        order_id=str(row.order_id),
        provider=provider,
        event_id=event_id,
        expected_amount=mismatch.expected_amount,
        expected_currency=mismatch.expected_currency,
        reported_amount=reported.amount,
        reported_currency=reported.currency,
    )
    return mismatch.describe()
