"""Sending, in two short transactions around the network call: claim due rows, settle each."""

from typing import Any

from sqlalchemy import Row

from notifications.adapters import deliveries as deliveries_repo
from notifications.domain.model import Channel
from notifications.domain.retries import SendResult, Transition, after_attempt
from notifications.service_layer.dependencies import Dependencies
from shared.uow import UnitOfWork


async def claim_due(
    channel: Channel, *, uow: UnitOfWork, deps: Dependencies, limit: int
) -> list[Row[Any]]:
    """Lease up to `limit` due deliveries of the channel for this sender (SKIP LOCKED)."""
    return await deliveries_repo.claim_due(
        uow.connection, channel=channel, now=deps.clock.now(), lease=deps.policy.lease, limit=limit
    )


async def settle_attempt(
    delivery: Row[Any], result: SendResult, *, uow: UnitOfWork, deps: Dependencies
) -> Transition | None:
    """Record the outcome of the claimed attempt; None if the row moved on meanwhile."""
    now = deps.clock.now()
    transition = after_attempt(
        result,
        attempts=delivery.attempts,
        attempt_limit=delivery.attempt_limit,
        now=now,
        backoff=deps.policy.backoff,
        jitter=deps.jitter(),
    )
    settled = await deliveries_repo.settle(
        uow.connection,
        delivery_id=delivery.delivery_id,
        attempts=delivery.attempts,
        transition=transition,
        now=now,
    )
    return transition if settled else None


async def bury_lost_sends(*, uow: UnitOfWork, deps: Dependencies) -> int:
    """Dead-letter rows whose last attempt's lease ran out without an outcome."""
    return await deliveries_repo.bury_lost_last_attempts(uow.connection, now=deps.clock.now())
