"""Stored webhook events processed a batch per unit of work, on the fakes (no Postgres).

SKIP LOCKED between workers, the batch split on a failure and the autocommit intake stay in
the integration tests (`test_webhook_batches.py` there).
"""

import json
import uuid

from payments.domain.model import OrderStatus, Provider
from payments.domain.outcomes import OrderOutcome
from payments.service_layer.webhooks import process_events, store_event
from shared.messaging.events import PaymentSucceeded

from .builders import PRICE, stored


def paid_event(order_id: uuid.UUID, *, event_id: str, amount: int = PRICE) -> bytes:
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": "checkout.session.completed",
            "data": {
                "object": {
                    "metadata": {"order_id": str(order_id)},
                    "payment_status": "paid",
                    "payment_intent": f"pi_{event_id}",
                    "amount_total": amount,
                    "currency": "usd",
                }
            },
        }
    ).encode()


async def stored_event(deps, *, event_id: str, body: bytes) -> bool:
    return await store_event(
        provider=Provider.stripe,
        event_id=event_id,
        event_type="checkout.session.completed",
        body=body,
        intake=deps.webhook_intake,
        deps=deps,
    )


async def test_a_batch_applies_each_event_once_and_a_malformed_one_ends_dead_alone(uow, deps):
    uow.webhook_events.intake = deps.webhook_intake
    first, second, mismatched = stored(uow), stored(uow), stored(uow)
    bodies = {
        "evt_a": paid_event(first.order_id, event_id="evt_a"),
        "evt_b": paid_event(second.order_id, event_id="evt_b"),
        "evt_bad": b'{"id": "evt_bad", "object": "event", "type": "checkout.session.completed",'
        b' "data": "not an object"}',
        "evt_short": paid_event(mismatched.order_id, event_id="evt_short", amount=PRICE - 1),
    }
    for event_id, body in bodies.items():
        assert await stored_event(deps, event_id=event_id, body=body)
    assert not await stored_event(deps, event_id="evt_a", body=bodies["evt_a"])
    keys = [(Provider.stripe, event_id) for event_id in [*bodies, "evt_a", "evt_unknown"]]

    async with uow:
        outcomes = await process_events(keys, uow=uow, deps=deps)
        await uow.commit()
    async with uow:
        again = await process_events(keys, uow=uow, deps=deps)
        await uow.commit()

    assert outcomes == {
        (Provider.stripe, "evt_a"): OrderOutcome.paid,
        (Provider.stripe, "evt_b"): OrderOutcome.paid,
        (Provider.stripe, "evt_bad"): OrderOutcome.dead,
        (Provider.stripe, "evt_short"): OrderOutcome.amount_mismatch,
    }
    assert again == {}
    assert uow.webhook_events.dead == {("stripe", "evt_bad"): "data is not an object"}
    assert [uow.orders.rows[o.order_id].status for o in (first, second, mismatched)] == [
        OrderStatus.paid,
        OrderStatus.paid,
        OrderStatus.pending,
    ]
    paid = [event.order_id for event in uow.events() if isinstance(event, PaymentSucceeded)]
    assert paid == [first.order_id, second.order_id]
