"""An operator sends a failed or dead delivery again."""

from typing import Any
from uuid import UUID

from sqlalchemy import Row

from notifications.adapters import deliveries as deliveries_repo
from notifications.domain.errors import DeliveryNotFound, NotRetryable
from notifications.domain.model import DeliveryStatus
from notifications.service_layer.dependencies import Dependencies
from shared.uow import UnitOfWork

RETRYABLE = (DeliveryStatus.failed, DeliveryStatus.dead)


async def retry_delivery(delivery_id: UUID, *, uow: UnitOfWork, deps: Dependencies) -> Row[Any]:
    """Pending again, due now, with a fresh budget of attempts; sent rows are never resent."""
    delivery = await deliveries_repo.get(uow.connection, delivery_id, lock=True)
    if delivery is None:
        raise DeliveryNotFound(f"no delivery {delivery_id}")
    if delivery.status not in RETRYABLE:
        raise NotRetryable(f"a {delivery.status} delivery cannot be retried, only failed or dead")
    row = await deliveries_repo.requeue(
        uow.connection,
        delivery_id=delivery_id,
        now=deps.clock.now(),
        extra=deps.policy.attempt_limit,
    )
    await deliveries_repo.wake_senders(uow.connection, {row.channel})
    return row
