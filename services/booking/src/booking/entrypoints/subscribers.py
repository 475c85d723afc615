"""Events booking acts on."""

from booking.service_layer.packs import record_purchased_pack
from shared.clock import Clock
from shared.messaging import Envelope, MessageBus
from shared.messaging.events import PackPurchased
from shared.uow import UnitOfWork


def register(bus: MessageBus, *, clock: Clock) -> None:
    consumers = bus.consumers

    @consumers.on(PackPurchased, purpose="pack-purchased")
    async def on_pack_purchased(event: PackPurchased, uow: UnitOfWork, envelope: Envelope) -> None:
        await record_purchased_pack(event, uow=uow, now=clock.now())
