"""Sending, in two short transactions around the network call: claim due rows, settle each."""

from collections.abc import Sequence

from notifications.adapters.repositories import NotificationsUnitOfWork
from notifications.domain.model import Channel, Delivery
from notifications.domain.retries import SendResult, Transition, after_attempt
from notifications.service_layer.dependencies import Dependencies


async def claim_due(
    channel: Channel, *, uow: NotificationsUnitOfWork, deps: Dependencies, limit: int
) -> list[Delivery]:
    """Lease up to `limit` due deliveries of the channel for this sender (SKIP LOCKED)."""
    return await uow.deliveries.claim_due(
        channel, now=deps.clock.now(), lease=deps.policy.lease, limit=limit
    )


Outcome = tuple[Delivery, SendResult]
"""A claimed delivery and how its attempt ended."""


async def settle_attempts(
    outcomes: Sequence[Outcome], *, uow: NotificationsUnitOfWork, deps: Dependencies
) -> list[Transition | None]:
    """Record the outcome of each claimed attempt, in one go; None where the row moved on
    meanwhile (its lease ran out and another attempt claimed it)."""
    now = deps.clock.now()
    settlements = [
        (
            delivery,
            after_attempt(
                result,
                attempts=delivery.attempts,
                attempt_limit=delivery.attempt_limit,
                now=now,
                backoff=deps.policy.backoff,
                jitter=deps.jitter(),
            ),
        )
        for delivery, result in outcomes
    ]
    settled = await uow.deliveries.settle_many(settlements, now=now)
    return [t if d.delivery_id in settled else None for d, t in settlements]


async def bury_lost_sends(*, uow: NotificationsUnitOfWork, deps: Dependencies) -> int:
    """Dead-letter rows whose last attempt's lease ran out without an outcome."""
    return await uow.deliveries.bury_lost_last_attempts(now=deps.clock.now())
