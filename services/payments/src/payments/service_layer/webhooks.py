"""Provider events: stored once in the request's transaction, processed from the store.

An event that can never be applied (its shape is wrong: `MalformedEvent`) ends once as a
dead letter, with its reason, instead of failing again on every sweep.
"""

import json

from payments.adapters import webhook_events as events_repo
from payments.adapters.event_fields import MalformedEvent
from payments.metrics import DEAD_WEBHOOK_EVENTS
from payments.service_layer.context import Context
from payments.service_layer.paypal_events import PAYPAL, apply_paypal
from payments.service_layer.stripe_events import STRIPE, apply_stripe
from shared.logging import get_logger
from shared.uow import UnitOfWork

log = get_logger(__name__)

__all__ = ["PAYPAL", "STRIPE", "process_event", "store_event"]


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
    event = json.loads(stored.body)  # verified as a JSON object before it was stored
    apply = apply_stripe if provider == STRIPE else apply_paypal
    try:
        outcome = await apply(event, event_id=event_id, uow=uow, ctx=ctx)
    except MalformedEvent as exc:
        reason = str(exc)
        await events_repo.mark_processed(
            uow.connection,
            provider=provider,
            event_id=event_id,
            outcome=f"dead: {reason}",
            dead_reason=reason,
            now=ctx.clock.now(),
        )
        DEAD_WEBHOOK_EVENTS.labels(provider=provider).inc()
        log.warning("webhook.dead_lettered", provider=provider, event_id=event_id, reason=reason)
        return f"dead: {reason}"
    await events_repo.mark_processed(
        uow.connection, provider=provider, event_id=event_id, outcome=outcome, now=ctx.clock.now()
    )
    log.info("webhook.processed", provider=provider, event_id=event_id, outcome=outcome)
    return outcome
