"""Events notifications announces, each through the kernel's inbox (once per event id)."""

from collections.abc import Callable

from notifications.service_layer.dependencies import Dependencies
from notifications.service_layer.notices import MAKERS, notices_for
from notifications.service_layer.onboarding import start_onboarding
from notifications.service_layer.planning import plan_notices
from shared.messaging import Envelope, Event, MessageBus
from shared.messaging.events import PackPurchased
from shared.uow import UnitOfWork


def register(bus: MessageBus, *, deps: Dependencies, on_planned: Callable[[], None]) -> None:
    """One durable consumer per event type that gives notices (`notifications-<subject>`)."""
    for event_type in MAKERS:
        _subscribe(bus, event_type, deps=deps, on_planned=on_planned)


def _subscribe(
    bus: MessageBus, event_type: type[Event], *, deps: Dependencies, on_planned: Callable[[], None]
) -> None:
    purpose = event_type.subject.replace(".", "-").replace("_", "-")

    @bus.consumers.on(event_type, purpose=purpose)
    async def announce(event: Event, uow: UnitOfWork, envelope: Envelope) -> None:
        notices = notices_for(event, now=deps.clock.now())
        await plan_notices(
            notices, event_id=envelope.id, event_type=envelope.type, uow=uow, deps=deps
        )
        if isinstance(event, PackPurchased):
            await start_onboarding(event, event_id=envelope.id, uow=uow, deps=deps)
        on_planned()
