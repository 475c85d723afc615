"""Events notifications turns into deliveries."""

from notifications.service_layer.deliveries import plan_deliveries
from shared.clock import Clock
from shared.messaging import Envelope, MessageBus
from shared.messaging.events import PackPurchased
from shared.uow import UnitOfWork


def register(bus: MessageBus, *, clock: Clock) -> None:
    consumers = bus.consumers

    @consumers.on(PackPurchased, purpose="pack-purchased")
    async def on_pack_purchased(event: PackPurchased, uow: UnitOfWork, envelope: Envelope) -> None:
        await plan_deliveries(
            uow=uow,
            event_id=envelope.id,
            event_type=envelope.type,
            recipient=event.student_id,
            template="pack_purchased",
            now=clock.now(),
        )
