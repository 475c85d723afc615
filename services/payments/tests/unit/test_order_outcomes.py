"""What a provider's report does to its order, on the fake unit of work (no Postgres).

Locks, SKIP LOCKED between workers and the HTTP edge stay in the integration tests.
"""

import uuid
from datetime import timedelta
from decimal import Decimal

from payments.domain.model import OrderStatus, Provider
from payments.domain.outcomes import OrderOutcome
from payments.domain.refunds import OwedRefund
from payments.domain.reports import (
    CheckoutEnded,
    Ending,
    EventIgnored,
    OrderReference,
    PaymentAwaited,
    RefundedTotalSeen,
    RefundSeen,
)
from payments.service_layer.order_outcomes import expire_unpaid, orders_past_expiry
from payments.service_layer.provider_reports import apply_report
from shared.messaging.events import (
    PaymentFailed,
    PaymentRefunded,
    PaymentSucceeded,
    ReceiptIssued,
)

from .builders import NOW, PRICE, captured, stored


async def applied(report, *, uow, deps, provider=Provider.stripe, event_id="evt_1"):
    """Apply one report in its own unit of work and commit it, as the webhook worker does."""
    async with uow:
        outcome = await apply_report(
            report, provider=provider, event_id=event_id, uow=uow, deps=deps
        )
        await uow.commit()
    return outcome


async def test_a_capture_of_the_order_s_price_pays_it_once_and_announces_it(uow, deps):
    order = stored(uow)

    assert await applied(captured(order), uow=uow, deps=deps) is OrderOutcome.paid
    assert await applied(captured(order), uow=uow, deps=deps) is OrderOutcome.unchanged

    paid = uow.orders.rows[order.order_id]
    assert (paid.status, paid.paid_at, paid.payment_ref) == (OrderStatus.paid, NOW, "pi_1")
    [succeeded] = [e for e in uow.events() if not isinstance(e, ReceiptIssued)]
    assert isinstance(succeeded, PaymentSucceeded)
    assert (succeeded.amount, succeeded.provider, succeeded.pack.sessions_count) == (
        PRICE,
        "stripe",
        5,
    )


async def test_a_capture_of_another_amount_or_currency_fulfils_nothing_and_is_kept(uow, deps):
    order = stored(uow)

    short = await applied(captured(order, amount=PRICE - 1), uow=uow, deps=deps)
    euros = await applied(captured(order, currency="EUR"), uow=uow, deps=deps, event_id="evt_2")

    assert short is euros is OrderOutcome.amount_mismatch
    assert uow.orders.rows[order.order_id].status is OrderStatus.pending
    assert uow.events() == []
    assert sorted(uow.mismatches.rows) == [("stripe", "evt_1"), ("stripe", "evt_2")]


async def test_a_payment_after_the_checkout_ended_is_owed_back_not_fulfilled(uow, deps):
    order = stored(uow, OrderStatus.expired)

    outcome = await applied(captured(order), uow=uow, deps=deps)

    assert outcome is OrderOutcome.owed_back
    assert uow.refunds.owed == {order.order_id: OwedRefund.required}
    assert uow.orders.rows[order.order_id].payment_ref == "pi_1"  # what to refund
    assert uow.events() == []


async def test_a_checkout_that_ended_frees_the_hold_and_gives_the_promo_back_once(uow, deps):
    order = stored(uow, promo="SPRING")
    uow.promos.redeemed["SPRING"] = 1
    expired = CheckoutEnded(
        OrderReference(order.order_id), ending=Ending.expired, reason="the checkout expired"
    )

    assert await applied(expired, uow=uow, deps=deps) is OrderOutcome.expired
    assert await applied(expired, uow=uow, deps=deps) is OrderOutcome.unchanged

    ended = uow.orders.rows[order.order_id]
    assert (ended.status, ended.failure_reason) == (OrderStatus.expired, "the checkout expired")
    assert uow.orders.ended_at == {order.order_id: NOW}
    assert uow.promos.redeemed == {"SPRING": 0}
    assert uow.events() == [
        PaymentFailed(
            order_id=order.order_id, student_id="s", mentor_id="m", reason="the checkout expired"
        )
    ]


async def test_a_refund_seen_before_the_payment_ends_the_order_unfulfilled(uow, deps):
    order = stored(uow)
    refunded = RefundedTotalSeen(OrderReference(order.order_id), refunded_total=PRICE)

    assert await applied(refunded, uow=uow, deps=deps) is OrderOutcome.refunded
    assert await applied(captured(order), uow=uow, deps=deps) is OrderOutcome.unchanged

    assert uow.orders.rows[order.order_id].status is OrderStatus.refunded
    failed, refund = [e for e in uow.events() if not isinstance(e, ReceiptIssued)]
    assert isinstance(failed, PaymentFailed) and isinstance(refund, PaymentRefunded)
    assert (refund.amount, refund.full) == (PRICE, True)


async def test_stripe_s_refunded_total_counts_only_what_is_new(uow, deps):
    order = stored(uow, OrderStatus.paid, payment_ref="pi_9")
    by_charge = OrderReference(None, payment_ref="pi_9")  # a charge names no order id

    totals = [10000, 10000, 25000, 0]
    outcomes = [
        await applied(RefundedTotalSeen(by_charge, refunded_total=total), uow=uow, deps=deps)
        for total in totals
    ]

    assert outcomes == [
        OrderOutcome.refunded,
        OrderOutcome.refund_already_counted,
        OrderOutcome.refunded,
        OrderOutcome.refund_without_amount,
    ]
    refunds = [e for e in uow.events() if isinstance(e, PaymentRefunded)]
    assert [event.amount for event in refunds] == [10000, 15000]
    partly = uow.orders.rows[order.order_id]
    assert (partly.status, partly.refunded_amount) == (OrderStatus.partially_refunded, 25000)


async def test_a_paypal_refund_is_counted_once_and_never_one_of_ours(uow, deps):
    order = stored(uow, OrderStatus.paid, provider=Provider.paypal, payment_ref="CAPTURE-1")
    theirs = RefundSeen(
        OrderReference(None, payment_ref="CAPTURE-1"),
        provider_refund_id="REFUND-1",
        our_refund_id=None,
        value=Decimal("12.50"),
    )
    first = await applied(theirs, uow=uow, deps=deps, provider=Provider.paypal)
    again = await applied(theirs, uow=uow, deps=deps, provider=Provider.paypal, event_id="e2")
    [counted] = uow.refunds.succeeded  # as if we had issued it: its id is our invoice id
    mine = await applied(
        RefundSeen(
            OrderReference(order.order_id),
            provider_refund_id=None,
            our_refund_id=counted,
            value=Decimal("1.00"),
        ),
        uow=uow,
        deps=deps,
        provider=Provider.paypal,
        event_id="e3",
    )

    assert (first, again, mine) == (
        OrderOutcome.refunded,
        OrderOutcome.refund_already_counted,
        OrderOutcome.refund_already_counted,
    )
    assert uow.orders.rows[order.order_id].refunded_amount == 1250


async def test_a_report_for_no_known_order_or_of_no_interest_changes_nothing(uow, deps):
    stored(uow)
    nobody = OrderReference(uuid.uuid4())

    outcomes = [
        await applied(PaymentAwaited(nobody), uow=uow, deps=deps),
        await applied(
            RefundedTotalSeen(OrderReference(None), refunded_total=1), uow=uow, deps=deps
        ),
        await applied(EventIgnored("customer.created"), uow=uow, deps=deps),
    ]

    assert outcomes == [OrderOutcome.no_such_order] * 2 + [OrderOutcome.ignored]
    assert uow.events() == [] and uow.mismatches.rows == {}


async def test_the_expiry_backstop_ends_only_pending_orders_past_their_checkout(uow, deps, clock):
    over = stored(uow, expires_at=NOW - timedelta(seconds=1))
    stored(uow, expires_at=NOW + timedelta(minutes=1))
    stored(uow, OrderStatus.paid, expires_at=NOW - timedelta(minutes=1))

    async with uow:
        due = await orders_past_expiry(uow=uow, deps=deps, limit=10)
    expired = []
    for order_id in due:
        async with uow:
            expired.append(await expire_unpaid(order_id, uow=uow, deps=deps))
            await uow.commit()

    assert due == [over.order_id] and expired == [True]
    assert uow.orders.rows[over.order_id].status is OrderStatus.expired
    async with uow:  # claimed again after it ended (another replica was first): nothing
        assert await expire_unpaid(over.order_id, uow=uow, deps=deps) is False
