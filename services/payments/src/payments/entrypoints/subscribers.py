"""Events payments acts on, each through the kernel's inbox (once per event id)."""

from payments.service_layer.context import Context
from payments.service_layer.refunds import require_refund
from shared.messaging import Envelope, MessageBus
from shared.messaging.events import PackPurchaseRejected
from shared.uow import UnitOfWork


def register(bus: MessageBus, *, ctx: Context) -> None:
    consumers = bus.consumers

    @consumers.on(PackPurchaseRejected, purpose="pack-purchase-rejected")
    async def on_purchase_rejected(
        event: PackPurchaseRejected, uow: UnitOfWork, envelope: Envelope
    ) -> None:
        """Owed back in full; the `issue-required-refunds` job refunds it at the provider."""
        await require_refund(event, uow=uow, event_id=envelope.id, now=ctx.clock.now())
