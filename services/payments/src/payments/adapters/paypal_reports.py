"""A stored PayPal event read into a report; its fields are checked before any is used."""

from typing import Any

from payments.adapters import event_fields as fields
from payments.adapters.paypal import from_paypal_value
from payments.domain.reports import (
    CheckoutEnded,
    Ending,
    EventIgnored,
    OrderReference,
    PaymentCaptured,
    ProviderReport,
    RefundSeen,
)


def read(body: bytes) -> ProviderReport:
    """What the event says happened to its order (verified as a JSON object when stored)."""
    return fields.read_report(body, _report)


def _report(event: dict[str, Any]) -> ProviderReport:
    kind = str(event.get("event_type", ""))
    resource = fields.optional_mapping(event.get("resource"), name="resource")
    resource_id = fields.provider_ref(resource.get("id"), name="resource.id")
    order = OrderReference(fields.first_uuid(resource.get("custom_id")))
    if kind == "PAYMENT.CAPTURE.COMPLETED":
        reported = fields.paypal_payment(resource, to_minor=from_paypal_value)
        return PaymentCaptured(order, reported=reported, payment_ref=resource_id)
    if kind == "PAYMENT.CAPTURE.DENIED":
        return CheckoutEnded(order, ending=Ending.failed, reason="the capture was denied")
    if kind == "PAYMENT.CAPTURE.REFUNDED":
        amount = resource.get("amount")
        return RefundSeen(
            OrderReference(order.order_id, payment_ref=_capture_of(resource)),
            provider_refund_id=resource_id,
            our_refund_id=fields.first_uuid(resource.get("invoice_id")),
            value=fields.decimal_value(amount.get("value")) if isinstance(amount, dict) else None,
        )
    return EventIgnored(kind)


def _capture_of(resource: dict[str, object]) -> str | None:
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
                return capture_id
    return None
