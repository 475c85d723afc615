"""What a stored Stripe event does to its order; its fields are checked before they are used."""

from typing import Any

from payments.adapters import event_fields as fields
from payments.adapters import orders as orders_repo
from payments.domain.model import OrderStatus
from payments.service_layer.context import Context
from payments.service_layer.order_lookup import order_of
from payments.service_layer.order_outcomes import end_unpaid, record_payment, record_refund
from payments.service_layer.payment_checks import mismatch_outcome
from shared.db import AnyRow
from shared.uow import UnitOfWork

STRIPE = "stripe"
PAID_KINDS = ("checkout.session.completed", "checkout.session.async_payment_succeeded")


async def apply_stripe(
    event: dict[str, Any], *, event_id: str, uow: UnitOfWork, ctx: Context
) -> str:
    """The outcome of one Stripe event; `MalformedEvent` if its shape can never apply."""
    kind = str(event.get("type", ""))
    data = fields.mapping(event.get("data"), name="data")
    obj = fields.mapping(data.get("object"), name="data.object")
    metadata = fields.optional_mapping(obj.get("metadata"), name="data.object.metadata")
    payment_ref = fields.provider_ref(obj.get("payment_intent"), name="payment_intent")
    if kind.startswith("checkout.session."):
        payment_status = fields.word(obj.get("payment_status"), name="payment_status")
        row = await order_of(uow, metadata, obj.get("client_reference_id"))
        if row is None:
            return "no such order"
        if kind in PAID_KINDS:
            if kind == PAID_KINDS[0] and payment_status != "paid":
                return f"awaiting payment ({payment_status})"
            return await _paid(
                row, obj, event_id=event_id, payment_ref=payment_ref, uow=uow, ctx=ctx
            )
        if kind == "checkout.session.async_payment_failed":
            return await end_unpaid(
                row, uow=uow, ctx=ctx, status=OrderStatus.failed, reason="the payment failed"
            )
        if kind == "checkout.session.expired":
            return await end_unpaid(
                row, uow=uow, ctx=ctx, status=OrderStatus.expired, reason="the checkout expired"
            )
    if kind == "charge.refunded":
        row = await order_of(uow, metadata, None)
        if row is None and payment_ref is not None:
            row = await orders_repo.by_payment_ref(uow.connection, payment_ref, lock=True)
        if row is None:
            return "no such order"
        return await _catch_up_refunds(row, refunded=obj.get("amount_refunded"), uow=uow, ctx=ctx)
    return f"ignored {kind}"


async def _paid(
    row: AnyRow,
    obj: dict[str, Any],
    *,
    event_id: str,
    payment_ref: str | None,
    uow: UnitOfWork,
    ctx: Context,
) -> str:
    mismatch = await mismatch_outcome(
        row, fields.stripe_payment(obj), provider=STRIPE, event_id=event_id, uow=uow, ctx=ctx
    )
    if mismatch is not None:
        return mismatch
    return await record_payment(row, uow=uow, ctx=ctx, payment_ref=payment_ref)


async def _catch_up_refunds(row: AnyRow, *, refunded: object, uow: UnitOfWork, ctx: Context) -> str:
    """Count what the provider refunded beyond the refunds already counted here."""
    if not isinstance(refunded, int) or isinstance(refunded, bool) or refunded <= 0:
        return "refund without an amount"
    delta = min(refunded, row.final_amount) - row.refunded_amount
    if delta <= 0:
        return "refund already counted"
    await record_refund(row, uow=uow, ctx=ctx, amount=delta, reason="refunded at Stripe")
    return "refunded"
