"""Events notifications announces, each through the kernel's inbox (once per event id)."""

from notifications.adapters.unit_of_work import SqlNotificationsUnitOfWork
from notifications.service_layer.announce import announce
from notifications.service_layer.dependencies import Dependencies
from notifications.service_layer.mentor_names import remember_mentor_name
from notifications.service_layer.notices import MAKERS
from shared.messaging import Envelope, Event, MessageBus
from shared.messaging.events import MentorUpdated
from shared.uow import UnitOfWork


def register(bus: MessageBus, *, deps: Dependencies) -> None:
    """One durable consumer per event type that gives notices (`notifications-<subject>`),
    and one that keeps the mentors' profile names the mails use."""
    for event_type in MAKERS:
        _subscribe(bus, event_type, deps=deps)

    @bus.consumers.on(MentorUpdated, purpose="mentor-names")
    async def on_mentor_updated(event: MentorUpdated, uow: UnitOfWork, envelope: Envelope) -> None:
        await remember_mentor_name(
            event, occurred_at=envelope.occurred_at, uow=SqlNotificationsUnitOfWork(uow)
        )


def _subscribe(bus: MessageBus, event_type: type[Event], *, deps: Dependencies) -> None:
    purpose = event_type.subject.replace(".", "-").replace("_", "-")

    @bus.consumers.on(event_type, purpose=purpose)
    async def on_event(event: Event, uow: UnitOfWork, envelope: Envelope) -> None:
        await announce(
            event,
            event_id=envelope.id,
            event_type=envelope.type,
            uow=SqlNotificationsUnitOfWork(uow),
            deps=deps,
        )
