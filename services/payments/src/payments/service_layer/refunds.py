"""Refunds the platform issues: by an admin, or owed for a purchase packs could not seat.

Three steps, the provider call between two transactions: count the refund on the locked
order (the order's CHECK caps the total at what was paid, so concurrent refunds cannot
exceed it), call the provider with an idempotency key derived from the refund, then confirm
it (`payment.refunded`) or uncount it.
"""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

from payments.adapters.providers import RefundRequest
from payments.adapters.repositories import PaymentsUnitOfWork
from payments.adapters.unit_of_work import SqlPaymentsUnitOfWork
from payments.domain.errors import (
    NothingToRefund,
    OrderNotFound,
    OrderNotRefundable,
    PackUsageUnknown,
    ProviderFailed,
)
from payments.domain.model import Order
from payments.domain.refunds import OwedRefund, pro_rata_amount
from payments.service_layer.dependencies import Dependencies
from payments.service_layer.receipts import issue_refund_receipt
from shared.logging import get_logger
from shared.messaging.events import PackPurchaseRejected, PaymentRefunded

log = get_logger(__name__)


@dataclass(frozen=True)
class RefundOrder:
    order_id: UUID
    amount: int | None  # None: everything not yet refunded (or the pro-rata share)
    reason: str
    pro_rata: bool = False  # the share of the pack's unused sessions


async def refund_order(cmd: RefundOrder, *, deps: Dependencies) -> UUID:
    """Refund an order at its provider; the refund's id once the provider confirmed it."""
    refund_id = uuid4()
    async with deps.uow() as unit:
        uow = SqlPaymentsUnitOfWork(unit)
        order = await uow.orders.get(cmd.order_id, lock=True)
        if order is None:
            raise OrderNotFound(f"no order {cmd.order_id}")
        amount = order.refundable if cmd.amount is None else cmd.amount
        if cmd.pro_rata:
            amount = await _pro_rata(uow, order=order)
        order.reserve_refund(amount)
        payment_ref = order.payment_ref
        if not payment_ref:
            raise OrderNotRefundable(f"order {cmd.order_id} has no payment to refund")
        await uow.refunds.add_requested(
            refund_id=refund_id,
            order_id=cmd.order_id,
            amount=amount,
            reason=cmd.reason,
            now=deps.clock.now(),
        )
        await unit.commit()
    provider = deps.provider(order.provider)
    try:
        provider_refund_id = await provider.refund(
            RefundRequest(
                refund_id=refund_id,
                order_id=cmd.order_id,
                payment_ref=payment_ref,
                amount=amount,
                currency=order.currency,
            )
        )
    except Exception as exc:
        log.warning("refund.provider_failed", order_id=str(cmd.order_id), error=repr(exc))
        await _settle(refund_id, order_id=cmd.order_id, provider_refund_id=None, deps=deps)
        raise ProviderFailed(f"{order.provider} did not refund; nothing was counted") from exc
    await _settle(
        refund_id, order_id=cmd.order_id, provider_refund_id=provider_refund_id, deps=deps
    )
    return refund_id


async def _pro_rata(uow: PaymentsUnitOfWork, *, order: Order) -> int:
    usage = await uow.pack_usage.usage_of_order(order.order_id)
    if usage is None:
        raise PackUsageUnknown(f"packs has not announced the pack of order {order.order_id} yet")
    share = pro_rata_amount(
        paid=order.final_amount,
        sessions_total=usage.sessions_total,
        sessions_used=usage.sessions_used,
    )
    if share <= 0:
        raise NothingToRefund(f"every session of order {order.order_id} was used")
    return min(share, order.refundable)


async def _settle(
    refund_id: UUID, *, order_id: UUID, provider_refund_id: str | None, deps: Dependencies
) -> None:
    succeeded = provider_refund_id is not None
    async with deps.uow() as unit:
        uow = SqlPaymentsUnitOfWork(unit)
        order = await uow.orders.get(order_id, lock=True)
        assert order is not None
        now = deps.clock.now()
        amount = await uow.refunds.settle(
            refund_id=refund_id,
            succeeded=succeeded,
            provider_refund_id=provider_refund_id,
            now=now,
        )
        if amount is not None and succeeded:
            full = order.confirm_refunds(await uow.refunds.succeeded_total(order_id))
            await uow.orders.save(order, now=now)
            uow.record(
                PaymentRefunded(
                    order_id=order_id,
                    refund_id=refund_id,
                    student_id=order.student_id,
                    mentor_id=order.mentor_id,
                    amount=amount,
                    currency=order.currency,
                    full=full,
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
        await unit.commit()


async def require_refund(
    event: PackPurchaseRejected, *, uow: PaymentsUnitOfWork, event_id: UUID, now: datetime
) -> bool:
    """Record that the order must be refunded in full; once per order, whatever arrives."""
    return await uow.refunds.require_full_refund(
        order_id=event.order_id,
        student_id=event.student_id,
        mentor_id=event.mentor_id,
        reason=event.reason,
        event_id=event_id,
        now=now,
    )


async def refunds_owed(*, uow: PaymentsUnitOfWork, deps: Dependencies, limit: int) -> list[UUID]:
    """Orders the platform owes back in full (not locked: `issue_required_refund` claims each)."""
    return await uow.refunds.required(limit=limit)


async def issue_required_refund(order_id: UUID, *, deps: Dependencies) -> bool:
    """Refund in full an order the platform owes back; the request is marked done once."""
    async with deps.uow() as unit:
        uow = SqlPaymentsUnitOfWork(unit)
        if not await uow.refunds.claim_required(order_id):
            return False
        order = await uow.orders.get(order_id)
        if order is None or not order.payment_ref or order.refundable <= 0:
            # unknown order, or refunded already (at the provider, say)
            done = OwedRefund.nothing_to_refund if order is None else OwedRefund.refunded
            await uow.refunds.mark_required_done(order_id, status=done)
            await unit.commit()
            return True
    await refund_order(
        RefundOrder(order_id, None, "owed: the purchase was not fulfilled"), deps=deps
    )
    async with deps.uow() as unit:
        uow = SqlPaymentsUnitOfWork(unit)
        await uow.refunds.mark_required_done(order_id, status=OwedRefund.refunded)
        await unit.commit()
    return True
