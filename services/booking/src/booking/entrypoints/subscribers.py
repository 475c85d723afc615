"""Events booking acts on, each through the kernel's inbox (once per event id)."""

from booking.service_layer.dependencies import Dependencies
from booking.service_layer.packs import record_purchased_pack
from booking.service_layer.revoke_pack_sessions import cancel_sessions_of_revoked_pack
from shared.messaging import Envelope, MessageBus
from shared.messaging.events import PackPurchased, PackRevoked
from shared.uow import UnitOfWork


def register(bus: MessageBus, *, deps: Dependencies) -> None:
    consumers = bus.consumers

    @consumers.on(PackPurchased, purpose="pack-purchased")
    async def on_pack_purchased(event: PackPurchased, uow: UnitOfWork, envelope: Envelope) -> None:
        await record_purchased_pack(event, uow=uow, now=deps.clock.now())

    @consumers.on(PackRevoked, purpose="pack-revoked")
    async def on_pack_revoked(event: PackRevoked, uow: UnitOfWork, envelope: Envelope) -> None:
        await cancel_sessions_of_revoked_pack(event, uow=uow, deps=deps)
