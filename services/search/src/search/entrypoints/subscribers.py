"""Events that keep the mentor directory, each through the kernel's inbox (once per event id)."""

from search.domain.stamp import Stamp
from search.service_layer.dependencies import Dependencies
from search.service_layer.record_facts import FACT_EVENTS, record_fact
from shared.messaging import Envelope, MessageBus
from shared.messaging.events import Event
from shared.uow import UnitOfWork


async def on_fact(deps: Dependencies, event: Event, uow: UnitOfWork, envelope: Envelope) -> None:
    await record_fact(event, stamp=Stamp(envelope.occurred_at, envelope.id), uow=uow, deps=deps)


def register(bus: MessageBus, *, deps: Dependencies) -> None:
    for event_type in FACT_EVENTS:
        purpose = event_type.subject.replace(".", "-").replace("_", "-")

        async def handle(event: Event, uow: UnitOfWork, envelope: Envelope) -> None:
            await on_fact(deps, event, uow, envelope)

        bus.consumers.on(event_type, purpose=purpose)(handle)
