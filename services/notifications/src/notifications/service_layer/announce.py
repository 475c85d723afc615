"""An event notifications announces: its notices planned, and a first purchase's onboarding."""

from uuid import UUID

from notifications.adapters.repositories import NotificationsUnitOfWork
from notifications.service_layer.dependencies import Dependencies
from notifications.service_layer.notices import notices_for
from notifications.service_layer.onboarding import start_onboarding
from notifications.service_layer.planning import plan_notices
from shared.messaging.events import Event, PackPurchased


async def announce(
    event: Event,
    *,
    event_id: UUID,
    event_type: str,
    uow: NotificationsUnitOfWork,
    deps: Dependencies,
) -> int:
    """Plan every delivery the event gives (once per event, channel and recipient)."""
    notices = notices_for(event, now=deps.clock.now())
    planned = await plan_notices(
        notices, event_id=event_id, event_type=event_type, uow=uow, deps=deps
    )
    if isinstance(event, PackPurchased):
        await start_onboarding(event, event_id=event_id, uow=uow, deps=deps)
    return planned
