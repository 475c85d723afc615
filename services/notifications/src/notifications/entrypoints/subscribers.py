"""Events notifications announces, each through the kernel's inbox (once per event id)."""

from notifications.service_layer.announce import announce
from notifications.service_layer.dependencies import Dependencies
from notifications.service_layer.notices import MAKERS
from shared.messaging import Envelope, Event, MessageBus
from shared.uow import UnitOfWork


def register(bus: MessageBus, *, deps: Dependencies) -> None:
    """One durable consumer per event type that gives notices (`notifications-<subject>`)."""
    for event_type in MAKERS:
        _subscribe(bus, event_type, deps=deps)


def _subscribe(bus: MessageBus, event_type: type[Event], *, deps: Dependencies) -> None:
    purpose = event_type.subject.replace(".", "-").replace("_", "-")

    @bus.consumers.on(event_type, purpose=purpose)
    async def on_event(event: Event, uow: UnitOfWork, envelope: Envelope) -> None:
        await announce(event, event_id=envelope.id, event_type=envelope.type, uow=uow, deps=deps)
