"""A stored Stripe event read into a report; its fields are checked before any is used."""

from typing import Any

from payments.adapters import event_fields as fields
from payments.domain.reports import (
    CheckoutEnded,
    Ending,
    EventIgnored,
    OrderReference,
    PaymentAwaited,
    PaymentCaptured,
    ProviderReport,
    RefundedTotalSeen,
)

PAID = ("checkout.session.completed", "checkout.session.async_payment_succeeded")
ENDED = {
    "checkout.session.async_payment_failed": (Ending.failed, "the payment failed"),
    "checkout.session.expired": (Ending.expired, "the checkout expired"),
}


def read(body: bytes) -> ProviderReport:
    """What the event says happened to its order (verified as a JSON object when stored)."""
    return fields.read_report(body, _report)


def _report(event: dict[str, Any]) -> ProviderReport:
    kind = str(event.get("type", ""))
    data = fields.mapping(event.get("data"), name="data")
    obj = fields.mapping(data.get("object"), name="data.object")
    metadata = fields.optional_mapping(obj.get("metadata"), name="data.object.metadata")
    payment_ref = fields.provider_ref(obj.get("payment_intent"), name="payment_intent")
    if kind.startswith("checkout.session."):
        payment_status = fields.word(obj.get("payment_status"), name="payment_status")
        order = OrderReference(
            fields.first_uuid(metadata.get("order_id"), obj.get("client_reference_id"))
        )
        if kind == PAID[0] and payment_status != "paid":
            return PaymentAwaited(order)
        if kind in PAID:
            return PaymentCaptured(
                order, reported=fields.stripe_payment(obj), payment_ref=payment_ref
            )
        if kind in ENDED:
            ending, reason = ENDED[kind]
            return CheckoutEnded(order, ending=ending, reason=reason)
    if kind == "charge.refunded":
        refunded = obj.get("amount_refunded")
        return RefundedTotalSeen(
            OrderReference(fields.first_uuid(metadata.get("order_id")), payment_ref),
            refunded_total=refunded
            if isinstance(refunded, int) and not isinstance(refunded, bool)
            else None,
        )
    return EventIgnored(kind)
