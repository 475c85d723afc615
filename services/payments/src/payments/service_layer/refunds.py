"""Refunds the platform issues: by an admin, or owed for a purchase packs could not seat.

Three steps, the provider call between two transactions: count the refund on the locked
order (the order's CHECK caps the total at what was paid, so concurrent refunds cannot
exceed it), call the provider with an idempotency key derived from the refund, then confirm
it (`payment.refunded`) or uncount it.
"""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy.dialects.postgresql import insert

from payments.adapters import orders as orders_repo
from payments.adapters import pack_usage as usage_repo
from payments.adapters import refunds as refunds_repo
from payments.adapters.providers import RefundRequest
from payments.adapters.tables import refund_requests
from payments.domain.errors import (
    NothingToRefund,
    OrderNotFound,
    OrderNotRefundable,
    PackUsageUnknown,
    ProviderFailed,
)
from payments.domain.model import Provider
from payments.domain.refunds import pro_rata_amount
from payments.service_layer.context import Context
from shared.db import AnyRow
from shared.logging import get_logger
from shared.messaging.events import PackPurchaseRejected, PaymentRefunded
from shared.uow import UnitOfWork

log = get_logger(__name__)


@dataclass(frozen=True)
class RefundOrder:
    order_id: UUID
    amount: int | None  # None: everything not yet refunded (or the pro-rata share)
    reason: str
    pro_rata: bool = False  # the share of the pack's unused sessions


async def refund_order(cmd: RefundOrder, *, ctx: Context) -> UUID:
    """Refund an order at its provider; the refund's id once the provider confirmed it."""
    refund_id = uuid4()
    async with ctx.uow() as uow:
        row = await orders_repo.get_row(uow.connection, cmd.order_id, lock=True)
        if row is None:
            raise OrderNotFound(f"no order {cmd.order_id}")
        order = orders_repo.to_order(row)
        amount = order.refundable if cmd.amount is None else cmd.amount
        if cmd.pro_rata:
            amount = await _pro_rata(uow, row=row, refundable=order.refundable)
        order.reserve_refund(amount)
        if not row.payment_ref:
            raise OrderNotRefundable(f"order {cmd.order_id} has no payment to refund")
        await refunds_repo.add_requested(
            uow.connection,
            refund_id=refund_id,
            order_id=cmd.order_id,
            amount=amount,
            reason=cmd.reason,
            now=ctx.clock.now(),
        )
        await uow.commit()
    provider = ctx.provider(Provider(row.provider))
    try:
        provider_refund_id = await provider.refund(
            RefundRequest(
                refund_id=refund_id,
                order_id=cmd.order_id,
                payment_ref=row.payment_ref,
                amount=amount,
                currency=row.currency,
            )
        )
    except Exception as exc:
        log.warning("refund.provider_failed", order_id=str(cmd.order_id), error=repr(exc))
        await _settle(refund_id, order_id=cmd.order_id, provider_refund_id=None, ctx=ctx)
        raise ProviderFailed(f"{row.provider} did not refund; nothing was counted") from exc
    await _settle(refund_id, order_id=cmd.order_id, provider_refund_id=provider_refund_id, ctx=ctx)
    return refund_id


async def _pro_rata(uow: UnitOfWork, *, row: AnyRow, refundable: int) -> int:
    usage = await usage_repo.usage_of_order(uow.connection, row.order_id)
    if usage is None:
        raise PackUsageUnknown(f"packs has not announced the pack of order {row.order_id} yet")
    share = pro_rata_amount(
        paid=row.final_amount,
        sessions_total=usage.sessions_total,
        sessions_used=usage.sessions_used,
    )
    if share <= 0:
        raise NothingToRefund(f"every session of order {row.order_id} was used")
    return min(share, refundable)


async def _settle(
    refund_id: UUID, *, order_id: UUID, provider_refund_id: str | None, ctx: Context
) -> None:
    succeeded = provider_refund_id is not None
    async with ctx.uow() as uow:
        row = await orders_repo.get_row(uow.connection, order_id, lock=True)
        assert row is not None
        now = ctx.clock.now()
        refund = await refunds_repo.settle(
            uow.connection,
            refund_id=refund_id,
            succeeded=succeeded,
            provider_refund_id=provider_refund_id,
            now=now,
        )
        if refund is not None and succeeded:
            order = orders_repo.to_order(row)
            full = order.confirm_refunds(
                await refunds_repo.succeeded_total(uow.connection, order_id)
            )
            await orders_repo.save(uow.connection, order, now=now)
            uow.record(
                PaymentRefunded(
                    order_id=order_id,
                    refund_id=refund_id,
                    student_id=row.student_id,
                    mentor_id=row.mentor_id,
                    amount=refund.amount,
                    currency=row.currency,
                    full=full,
                    refunded_at=now,
                ),
            )
        await uow.commit()


async def require_refund(
    event: PackPurchaseRejected, *, uow: UnitOfWork, event_id: UUID, now: datetime
) -> bool:
    """Record that the order must be refunded in full; once per order, whatever arrives."""
    result = await uow.connection.execute(
        insert(refund_requests)
        .values(
            order_id=event.order_id,
            student_id=event.student_id,
            mentor_id=event.mentor_id,
            reason=event.reason[:500],
            status=refunds_repo.REFUND_REQUIRED,
            event_id=event_id,
            requested_at=now,
        )
        .on_conflict_do_nothing(index_elements=["order_id"])
        .returning(refund_requests.c.order_id)
    )
    return result.first() is not None


async def issue_required_refund(order_id: UUID, *, ctx: Context) -> bool:
    """Refund in full an order the platform owes back; the request is marked done once."""
    async with ctx.uow() as uow:
        if await refunds_repo.claim_required(uow.connection, order_id) is None:
            return False
        row = await orders_repo.get_row(uow.connection, order_id)
        refundable = row is not None and row.payment_ref and row.final_amount > row.refunded_amount
        if not refundable:  # unknown order, or refunded already (at the provider, say)
            await refunds_repo.mark_required_done(
                uow.connection, order_id, status="nothing_to_refund" if row is None else "refunded"
            )
            await uow.commit()
            return True
    await refund_order(RefundOrder(order_id, None, "owed: the purchase was not fulfilled"), ctx=ctx)
    async with ctx.uow() as uow:
        await refunds_repo.mark_required_done(
            uow.connection, order_id, status=refunds_repo.REFUNDED
        )
        await uow.commit()
    return True
