"""Events payments acts on."""

from payments.service_layer.refunds import require_refund
from shared.clock import Clock
from shared.messaging import Envelope, MessageBus
from shared.messaging.events import PackPurchaseRejected
from shared.uow import UnitOfWork


def register(bus: MessageBus, *, clock: Clock) -> None:
    consumers = bus.consumers

    @consumers.on(PackPurchaseRejected, purpose="pack-purchase-rejected")
    async def on_purchase_rejected(
        event: PackPurchaseRejected, uow: UnitOfWork, envelope: Envelope
    ) -> None:
        await require_refund(event, uow=uow, event_id=envelope.id, now=clock.now())
