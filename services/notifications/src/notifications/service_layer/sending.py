"""Sending, in two short transactions around the network call: claim due rows, settle each."""

from sqlalchemy import Row

from notifications.adapters import deliveries as deliveries_repo
from notifications.domain.model import Channel, DeliveryStatus
from notifications.domain.retries import SendResult, Transition, after_attempt
from notifications.service_layer.context import Context
from shared.uow import UnitOfWork


async def claim_due(channel: Channel, *, uow: UnitOfWork, ctx: Context, limit: int) -> list[Row]:
    """Lease up to `limit` due deliveries of the channel for this sender (SKIP LOCKED)."""
    return await deliveries_repo.claim_due(
        uow.session, channel=channel, now=ctx.clock.now(), lease=ctx.policy.lease, limit=limit
    )


async def settle_attempt(
    delivery: Row, result: SendResult, *, uow: UnitOfWork, ctx: Context
) -> Transition | None:
    """Record the outcome of the claimed attempt; None if the row moved on meanwhile."""
    now = ctx.clock.now()
    transition = after_attempt(
        result,
        attempts=delivery.attempts,
        attempt_limit=delivery.attempt_limit,
        now=now,
        backoff=ctx.policy.backoff,
        jitter=ctx.jitter(),
    )
    settled = await deliveries_repo.settle(
        uow.session,
        delivery_id=delivery.delivery_id,
        attempts=delivery.attempts,
        transition=transition,
        now=now,
    )
    return transition if settled else None


def is_final(transition: Transition) -> bool:
    return transition.status is not DeliveryStatus.pending
