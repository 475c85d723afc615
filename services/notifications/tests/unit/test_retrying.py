"""An attempt's outcome on the delivery and an operator's retry, on the fake unit of work.
Leases timed on Postgres' clock and two senders racing stay integration tests."""

from datetime import timedelta

import pytest

from notifications.domain.errors import DeliveryNotFound, NotRetryable
from notifications.domain.model import Channel, DeliveryStatus
from notifications.domain.retries import Permanent, Sent, Transient
from notifications.service_layer.retry_delivery import retry_delivery
from notifications.service_layer.sending import claim_due, settle_attempts

from .builders import a_contact, booked
from .test_planning import announced


async def settle(delivery, result, *, uow, deps):
    [transition] = await settle_attempts([(delivery, result)], uow=uow, deps=deps)
    return transition


async def claimed_mails(uow, deps, count: int = 1):
    a_contact(uow, "s1")
    a_contact(uow, "m1")
    await announced(booked(), uow=uow, deps=deps)
    return await claim_due(Channel.email, uow=uow, deps=deps, limit=count)


async def test_a_transient_failure_is_due_again_after_the_backoff_and_the_last_is_dead(
    uow, deps, clock
):
    [delivery] = await claimed_mails(uow, deps)
    for attempt in range(1, 5):
        transition = await settle(delivery, Transient("421"), uow=uow, deps=deps)
        assert transition is not None
        if attempt < 4:
            assert transition.next_attempt_at == clock.now() + timedelta(
                seconds=2.5 * 2 ** (attempt - 1)
            )
            clock.advance(timedelta(hours=1))
            again = await claim_due(Channel.email, uow=uow, deps=deps, limit=2)
            [delivery] = [d for d in again if d.delivery_id == delivery.delivery_id]

    assert transition.status is DeliveryStatus.dead
    assert uow.deliveries.rows[delivery.delivery_id].attempts == 4


async def test_an_outcome_for_a_row_that_moved_on_is_not_recorded(uow, deps):
    [delivery] = await claimed_mails(uow, deps)
    await settle(delivery, Sent("<id@x>"), uow=uow, deps=deps)

    assert await settle(delivery, Permanent("550"), uow=uow, deps=deps) is None
    assert uow.deliveries.rows[delivery.delivery_id].status is DeliveryStatus.sent


async def test_an_operator_retries_a_failed_delivery_with_a_fresh_budget_never_a_sent_one(
    uow, deps
):
    failed, sent = await claimed_mails(uow, deps, 2)
    await settle(failed, Permanent("550 no such mailbox"), uow=uow, deps=deps)
    await settle(sent, Sent("<id@x>"), uow=uow, deps=deps)
    uow.deliveries.woken.clear()

    retried = await retry_delivery(failed.delivery_id, uow=uow, deps=deps)

    assert (retried.status, retried.attempt_limit, retried.next_attempt_at) == (
        DeliveryStatus.pending,
        1 + 4,
        deps.clock.now(),
    )
    assert uow.deliveries.woken == [{Channel.email}]
    with pytest.raises(NotRetryable):
        await retry_delivery(sent.delivery_id, uow=uow, deps=deps)
    with pytest.raises(DeliveryNotFound):
        await retry_delivery(sent.event_id, uow=uow, deps=deps)


async def test_outcomes_recorded_together_skip_only_the_row_that_moved_on(uow, deps):
    first, second = await claimed_mails(uow, deps, 2)
    await settle(first, Sent("<first@x>"), uow=uow, deps=deps)  # recorded by an earlier attempt

    transitions = await settle_attempts(
        [(first, Permanent("550")), (second, Sent("<second@x>"))], uow=uow, deps=deps
    )

    assert [t.status if t else None for t in transitions] == [None, DeliveryStatus.sent]
    assert uow.deliveries.rows[first.delivery_id].provider_message_id == "<first@x>"
    assert uow.deliveries.rows[second.delivery_id].status is DeliveryStatus.sent
