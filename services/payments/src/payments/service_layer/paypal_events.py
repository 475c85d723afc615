"""What a stored PayPal event does to its order; its fields are checked before they are used."""

from typing import Any

from payments.adapters import event_fields as fields
from payments.adapters import orders as orders_repo
from payments.adapters import refunds as refunds_repo
from payments.adapters.paypal import from_paypal_value
from payments.domain.model import OrderStatus
from payments.service_layer.context import Context
from payments.service_layer.order_lookup import as_uuid, order_of
from payments.service_layer.order_outcomes import end_unpaid, record_payment, record_refund
from payments.service_layer.payment_checks import mismatch_outcome
from shared.db import AnyRow
from shared.uow import UnitOfWork

PAYPAL = "paypal"


async def apply_paypal(
    event: dict[str, Any], *, event_id: str, uow: UnitOfWork, ctx: Context
) -> str:
    """The outcome of one PayPal event; `MalformedEvent` if its shape can never apply."""
    kind = str(event.get("event_type", ""))
    resource = fields.optional_mapping(event.get("resource"), name="resource")
    resource_id = fields.provider_ref(resource.get("id"), name="resource.id")
    row = await order_of(uow, None, resource.get("custom_id"))
    if row is None and kind == "PAYMENT.CAPTURE.REFUNDED":
        row = await _order_of_capture(uow, resource)
    if row is None:
        return "no such order"
    if kind == "PAYMENT.CAPTURE.COMPLETED":
        reported = fields.paypal_payment(resource, to_minor=from_paypal_value)
        mismatch = await mismatch_outcome(
            row, reported, provider=PAYPAL, event_id=event_id, uow=uow, ctx=ctx
        )
        if mismatch is not None:
            return mismatch
        return await record_payment(row, uow=uow, ctx=ctx, payment_ref=resource_id)
    if kind == "PAYMENT.CAPTURE.DENIED":
        return await end_unpaid(
            row, uow=uow, ctx=ctx, status=OrderStatus.failed, reason="the capture was denied"
        )
    if kind == "PAYMENT.CAPTURE.REFUNDED":
        return await _count_paypal_refund(
            resource, refund_id=resource_id, row=row, uow=uow, ctx=ctx
        )
    return f"ignored {kind}"


async def _count_paypal_refund(
    resource: dict[str, Any], *, refund_id: str | None, row: AnyRow, uow: UnitOfWork, ctx: Context
) -> str:
    """Count a PayPal refund unless it is one of ours (its invoice id is our refund id)."""
    ours = as_uuid(resource.get("invoice_id"))
    if ours is not None and await refunds_repo.get_row(uow.connection, ours) is not None:
        return "refund already counted"
    if refund_id is not None and await refunds_repo.by_provider_id(uow.connection, refund_id):
        return "refund already counted"
    amount_field = resource.get("amount") or {}
    try:
        amount = from_paypal_value(str(amount_field["value"]), row.currency)
    except (KeyError, TypeError, ArithmeticError, ValueError):
        return "refund without an amount"
    amount = min(amount, row.final_amount - row.refunded_amount)
    if amount <= 0:
        return "refund already counted"
    await record_refund(
        row,
        uow=uow,
        ctx=ctx,
        amount=amount,
        reason="refunded at PayPal",
        provider_refund_id=refund_id,
    )
    return "refunded"


async def _order_of_capture(uow: UnitOfWork, resource: dict[str, Any]) -> AnyRow | None:
    """A refund names its capture in its `up` link (…/v2/payments/captures/<id>)."""
    links = resource.get("links")
    for link in links if isinstance(links, list) else []:
        if (
            isinstance(link, dict)
            and link.get("rel") == "up"
            and "/captures/" in str(link.get("href"))
        ):
            capture_id = str(link["href"]).rstrip("/").rsplit("/", 1)[-1]
            if fields.PROVIDER_REF.fullmatch(capture_id):
                return await orders_repo.by_payment_ref(uow.connection, capture_id, lock=True)
    return None
