"""Stripe's webhook signature, checked by stripe-python over the raw body, and its date.

stripe-python refuses a signature older than the tolerance but not one dated in the future;
a timestamp more than `MAX_CLOCK_SKEW_SECONDS` ahead of the real time is refused here. Both
compare with the machine's real time (`time.time()`), never the service's injected clock: a
protocol check follows the providers' clocks even when the dev clock is moved.
"""

import json
import re
import time
from dataclasses import dataclass

import stripe

from payments.domain.errors import WebhookRejected

TOLERANCE_SECONDS = 300
MAX_CLOCK_SKEW_SECONDS = 60

# Provider event ids (`evt_1N…`, `WH-2WR3…`) and types (`checkout.session.completed`,
# `PAYMENT.CAPTURE.COMPLETED`) are ASCII words: anything else (a NUL, an escape, a bidi
# control) is refused before it reaches a text column.
EVENT_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,255}$")
EVENT_TYPE = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")


@dataclass(frozen=True)
class VerifiedEvent:
    event_id: str
    event_type: str


def verified_event(event_id: object, event_type: object) -> VerifiedEvent:
    """The id and type of a signed event, if both are plain provider identifiers."""
    if not (isinstance(event_id, str) and EVENT_ID.fullmatch(event_id)):
        raise WebhookRejected("the event has no usable id")
    if not (isinstance(event_type, str) and EVENT_TYPE.fullmatch(event_type)):
        raise WebhookRejected("the event has no usable type")
    return VerifiedEvent(event_id=event_id, event_type=event_type)


def verify(body: bytes, *, signature: str | None, secret: str) -> VerifiedEvent:
    """The event's id and type if Stripe signed this body with `secret` in the last 5 minutes."""
    try:
        stripe.WebhookSignature.verify_header(body, signature, secret, TOLERANCE_SECONDS)
        event = json.loads(body)
    except (stripe.SignatureVerificationError, UnicodeDecodeError, ValueError) as exc:
        raise WebhookRejected(f"not a verifiable Stripe event: {exc.__class__.__name__}") from exc
    assert signature is not None  # verify_header refuses a missing header
    if signed_at(signature) > time.time() + MAX_CLOCK_SKEW_SECONDS:
        raise WebhookRejected(
            f"the signature is dated more than {MAX_CLOCK_SKEW_SECONDS} s in the future"
        )
    if not isinstance(event, dict) or event.get("object") != "event":
        raise WebhookRejected("the body is not a Stripe event")
    return verified_event(event.get("id"), event.get("type"))


def signed_at(signature: str) -> int:
    """The `t=` of a `Stripe-Signature` header that verified (so it holds one integer `t`)."""
    for item in signature.split(","):
        key, _, value = item.strip().partition("=")
        if key == "t":
            return int(value)
    raise WebhookRejected("the signature has no timestamp")
