"""Session facts from booking, each once through the kernel's inbox, into the projection."""

from shared.messaging import Envelope, MessageBus
from shared.messaging.events import (
    Event,
    SessionBooked,
    SessionCanceled,
    SessionCompleted,
    SessionNoShow,
    SessionRescheduled,
)
from shared.uow import UnitOfWork
from video.service_layer.ports import Dependencies
from video.service_layer.project_session import apply_session_fact

PURPOSES: dict[type[Event], str] = {
    SessionBooked: "session-booked",
    SessionRescheduled: "session-rescheduled",
    SessionCanceled: "session-canceled",
    SessionCompleted: "session-completed",
    SessionNoShow: "session-no-show",
}


def register(bus: MessageBus, *, deps: Dependencies) -> None:
    async def on_session_fact(event: object, uow: UnitOfWork, envelope: Envelope) -> None:
        await apply_session_fact(envelope, uow=uow, deps=deps)

    for event_type, purpose in PURPOSES.items():
        bus.consumers.on(event_type, purpose=purpose)(on_session_fact)
