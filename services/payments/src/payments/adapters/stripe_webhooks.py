"""Stripe's webhook signature, checked by stripe-python over the raw body."""

import json
from dataclasses import dataclass

import stripe

from payments.domain.errors import WebhookRejected

TOLERANCE_SECONDS = 300


@dataclass(frozen=True)
class VerifiedEvent:
    event_id: str
    event_type: str


def verify(body: bytes, *, signature: str | None, secret: str) -> VerifiedEvent:
    """The event's id and type if Stripe signed this body with `secret` in the last 5 minutes."""
    try:
        stripe.WebhookSignature.verify_header(body, signature, secret, TOLERANCE_SECONDS)
        event = json.loads(body)
    except (stripe.SignatureVerificationError, UnicodeDecodeError, ValueError) as exc:
        raise WebhookRejected(f"not a verifiable Stripe event: {exc.__class__.__name__}") from exc
    if not isinstance(event, dict) or event.get("object") != "event":
        raise WebhookRejected("the body is not a Stripe event")
    event_id, event_type = event.get("id"), event.get("type")
    if not (isinstance(event_id, str) and isinstance(event_type, str)) or not (
        0 < len(event_id) <= 255 and 0 < len(event_type) <= 100
    ):
        raise WebhookRejected("the event has no usable id or type")
    return VerifiedEvent(event_id=event_id, event_type=event_type)
