"""An operator sends a failed or dead delivery again."""

from uuid import UUID

from notifications.adapters.repositories import NotificationsUnitOfWork
from notifications.domain.errors import DeliveryNotFound, NotRetryable
from notifications.domain.model import Delivery, DeliveryStatus
from notifications.service_layer.dependencies import Dependencies

RETRYABLE = (DeliveryStatus.failed, DeliveryStatus.dead)


async def retry_delivery(
    delivery_id: UUID, *, uow: NotificationsUnitOfWork, deps: Dependencies
) -> Delivery:
    """Pending again, due now, with a fresh budget of attempts; sent rows are never resent."""
    delivery = await uow.deliveries.get(delivery_id, lock=True)
    if delivery is None:
        raise DeliveryNotFound(f"no delivery {delivery_id}")
    if delivery.status not in RETRYABLE:
        raise NotRetryable(f"a {delivery.status} delivery cannot be retried, only failed or dead")
    requeued = await uow.deliveries.requeue(
        delivery_id, now=deps.clock.now(), extra=deps.policy.attempt_limit
    )
    await uow.deliveries.wake_senders({requeued.channel})
    return requeued
