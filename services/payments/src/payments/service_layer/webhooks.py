"""Provider events: stored once in the request's transaction, processed from the store."""

import json
from typing import Any
from uuid import UUID

from payments.adapters import orders as orders_repo
from payments.adapters import refunds as refunds_repo
from payments.adapters import webhook_events as events_repo
from payments.adapters.paypal import from_paypal_value
from payments.domain.model import OrderStatus
from payments.service_layer.context import Context
from payments.service_layer.order_outcomes import end_unpaid, record_payment, record_refund
from shared.db import AnyRow
from shared.logging import get_logger
from shared.uow import UnitOfWork

log = get_logger(__name__)

STRIPE = "stripe"
PAYPAL = "paypal"


async def store_event(
    *, provider: str, event_id: str, event_type: str, body: bytes, uow: UnitOfWork, ctx: Context
) -> bool:
    """Keep a verified event with its raw body; False for one already stored."""
    return await events_repo.store(
        uow.connection,
        provider=provider,
        event_id=event_id,
        event_type=event_type,
        body=body,
        now=ctx.clock.now(),
    )


async def process_event(
    *, provider: str, event_id: str, uow: UnitOfWork, ctx: Context
) -> str | None:
    """Apply one stored event to its order; None if it was processed (or is being) already."""
    stored = await events_repo.claim(uow.connection, provider=provider, event_id=event_id)
    if stored is None:
        return None
    event = json.loads(stored.body)
    if provider == STRIPE:
        outcome = await _apply_stripe(event, uow=uow, ctx=ctx)
    else:
        outcome = await _apply_paypal(event, uow=uow, ctx=ctx)
    await events_repo.mark_processed(
        uow.connection, provider=provider, event_id=event_id, outcome=outcome, now=ctx.clock.now()
    )
    log.info("webhook.processed", provider=provider, event_id=event_id, outcome=outcome)
    return outcome


async def _apply_stripe(event: dict[str, Any], *, uow: UnitOfWork, ctx: Context) -> str:
    kind = event.get("type", "")
    obj = (event.get("data") or {}).get("object") or {}
    if kind.startswith("checkout.session."):
        row = await _order_of(uow, obj.get("metadata"), obj.get("client_reference_id"))
        if row is None:
            return "no such order"
        if kind == "checkout.session.completed":
            if obj.get("payment_status") != "paid":
                return f"awaiting payment ({obj.get('payment_status')})"
            return await record_payment(
                row, uow=uow, ctx=ctx, payment_ref=obj.get("payment_intent")
            )
        if kind == "checkout.session.async_payment_succeeded":
            return await record_payment(
                row, uow=uow, ctx=ctx, payment_ref=obj.get("payment_intent")
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
        row = await _order_of(uow, obj.get("metadata"), None)
        if row is None and isinstance(obj.get("payment_intent"), str):
            row = await orders_repo.by_payment_ref(uow.connection, obj["payment_intent"], lock=True)
        if row is None:
            return "no such order"
        return await _catch_up_refunds(row, refunded=obj.get("amount_refunded"), uow=uow, ctx=ctx)
    return f"ignored {kind}"


async def _apply_paypal(event: dict[str, Any], *, uow: UnitOfWork, ctx: Context) -> str:
    kind = event.get("event_type", "")
    resource = event.get("resource") or {}
    row = await _order_of(uow, None, resource.get("custom_id"))
    if row is None and kind == "PAYMENT.CAPTURE.REFUNDED":
        row = await _order_of_capture(uow, resource)
    if row is None:
        return "no such order"
    if kind == "PAYMENT.CAPTURE.COMPLETED":
        return await record_payment(row, uow=uow, ctx=ctx, payment_ref=resource.get("id"))
    if kind == "PAYMENT.CAPTURE.DENIED":
        return await end_unpaid(
            row, uow=uow, ctx=ctx, status=OrderStatus.failed, reason="the capture was denied"
        )
    if kind == "PAYMENT.CAPTURE.REFUNDED":
        return await _count_paypal_refund(resource, row=row, uow=uow, ctx=ctx)
    return f"ignored {kind}"


async def _count_paypal_refund(
    resource: dict[str, Any], *, row: AnyRow, uow: UnitOfWork, ctx: Context
) -> str:
    """Count a PayPal refund unless it is one of ours (its invoice id is our refund id)."""
    refund_id = resource.get("id")
    ours = _uuid(resource.get("invoice_id"))
    if ours is not None and await refunds_repo.get_row(uow.connection, ours) is not None:
        return "refund already counted"
    if isinstance(refund_id, str) and await refunds_repo.by_provider_id(uow.connection, refund_id):
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
        provider_refund_id=refund_id if isinstance(refund_id, str) else None,
    )
    return "refunded"


async def _order_of_capture(uow: UnitOfWork, resource: dict[str, Any]) -> AnyRow | None:
    """A refund names its capture in its `up` link (…/v2/payments/captures/<id>)."""
    for link in resource.get("links") or []:
        if (
            isinstance(link, dict)
            and link.get("rel") == "up"
            and "/captures/" in str(link.get("href"))
        ):
            capture_id = str(link["href"]).rstrip("/").rsplit("/", 1)[-1]
            return await orders_repo.by_payment_ref(uow.connection, capture_id, lock=True)
    return None


async def _catch_up_refunds(row: AnyRow, *, refunded: object, uow: UnitOfWork, ctx: Context) -> str:
    """Count what the provider refunded beyond the refunds already counted here."""
    if not isinstance(refunded, int) or refunded <= 0:
        return "refund without an amount"
    delta = min(refunded, row.final_amount) - row.refunded_amount
    if delta <= 0:
        return "refund already counted"
    await record_refund(row, uow=uow, ctx=ctx, amount=delta, reason="refunded at Stripe")
    return "refunded"


async def _order_of(uow: UnitOfWork, metadata: object, reference: object) -> AnyRow | None:
    candidate = (metadata or {}).get("order_id") if isinstance(metadata, dict) else None
    for value in (candidate, reference):
        if (order_id := _uuid(value)) is not None:
            return await orders_repo.get_row(uow.connection, order_id, lock=True)
    return None


def _uuid(value: object) -> UUID | None:
    try:
        return UUID(str(value))
    except ValueError:
        return None
