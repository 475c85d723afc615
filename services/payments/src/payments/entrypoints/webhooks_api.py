"""HTTP: the providers' webhooks. Verify, store once, answer; processing follows from the store."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from payments.adapters import stripe_webhooks
from payments.adapters.stripe_webhooks import VerifiedEvent
from payments.domain.errors import WebhookRejected
from payments.domain.model import Provider
from payments.entrypoints.deps import Deps
from payments.service_layer.webhooks import store_event
from shared.clock import SystemClock
from shared.http.problems import problem

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"])

# Signatures are dated by the providers' clocks: checked against the real time, never the
# service's injected (dev-movable) clock.
REAL_TIME = SystemClock()


def rejected(exc: WebhookRejected) -> JSONResponse:
    """Providers expect 400 for an event they did not send (and retry other statuses)."""
    return problem(400, exc.code, "Webhook rejected", exc.detail)


async def store_and_wake(
    deps: Deps, *, provider: Provider, verified: VerifiedEvent, body: bytes
) -> dict[str, bool]:
    """Store a verified event once and wake the worker for it; a duplicate is only answered."""
    stored = await store_event(
        provider=provider,
        event_id=verified.event_id,
        event_type=verified.event_type,
        body=body,
        intake=deps.webhook_intake,
        deps=deps,
    )
    if stored:
        deps.webhooks.soon(provider=provider, event_id=verified.event_id)
    return {"received": True, "duplicate": not stored}


@router.post(
    "/stripe",
    response_model=None,
    responses={400: {"description": "the event is forged, stale, malformed or unsigned"}},
)
async def stripe_webhook(request: Request, deps: Deps) -> dict[str, bool] | JSONResponse:
    """A Stripe event signed with the endpoint secret; 400 and nothing stored otherwise."""
    body = await request.body()
    try:
        verified = stripe_webhooks.verify(
            body,
            signature=request.headers.get("stripe-signature"),
            secret=deps.settings.webhook_secret,
        )
    except WebhookRejected as exc:
        return rejected(exc)
    return await store_and_wake(deps, provider=Provider.stripe, verified=verified, body=body)


@router.post(
    "/paypal",
    response_model=None,
    responses={400: {"description": "the event is forged, stale, malformed or unsigned"}},
)
async def paypal_webhook(request: Request, deps: Deps) -> dict[str, bool] | JSONResponse:
    """A PayPal event whose transmission signature verifies; 400 and nothing stored otherwise."""
    body = await request.body()
    try:
        verified = await deps.paypal_verifier.verify(
            body, headers=request.headers, now=REAL_TIME.now()
        )
    except WebhookRejected as exc:
        return rejected(exc)
    return await store_and_wake(deps, provider=Provider.paypal, verified=verified, body=body)
