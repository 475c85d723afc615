"""Events payments acts on, each through the kernel's inbox (once per event id)."""

from payments.adapters.unit_of_work import SqlPaymentsUnitOfWork
from payments.service_layer import pack_usage
from payments.service_layer.dependencies import Dependencies
from payments.service_layer.refunds import require_refund
from shared.messaging import Envelope, MessageBus
from shared.messaging.events import (
    PackPurchased,
    PackPurchaseRejected,
    SessionBooked,
    SessionCanceled,
    SessionCompleted,
    SessionNoShow,
)
from shared.uow import UnitOfWork


def register(bus: MessageBus, *, deps: Dependencies) -> None:
    consumers = bus.consumers

    @consumers.on(PackPurchaseRejected, purpose="pack-purchase-rejected")
    async def on_purchase_rejected(
        event: PackPurchaseRejected, uow: UnitOfWork, envelope: Envelope
    ) -> None:
        """Owed back in full; the `issue-required-refunds` job refunds it at the provider."""
        await require_refund(
            event, uow=SqlPaymentsUnitOfWork(uow), event_id=envelope.id, now=deps.clock.now()
        )

    @consumers.on(PackPurchased, purpose="pack-usage-purchased")
    async def on_purchased(event: PackPurchased, uow: UnitOfWork, envelope: Envelope) -> None:
        await pack_usage.on_pack_purchased(event, uow=SqlPaymentsUnitOfWork(uow))

    @consumers.on(SessionBooked, purpose="pack-usage-booked")
    async def on_booked(event: SessionBooked, uow: UnitOfWork, envelope: Envelope) -> None:
        await pack_usage.on_session_booked(event, uow=SqlPaymentsUnitOfWork(uow))

    @consumers.on(SessionCompleted, purpose="pack-usage-completed")
    async def on_completed(event: SessionCompleted, uow: UnitOfWork, envelope: Envelope) -> None:
        await pack_usage.on_session_used(event, uow=SqlPaymentsUnitOfWork(uow))

    @consumers.on(SessionNoShow, purpose="pack-usage-no-show")
    async def on_no_show(event: SessionNoShow, uow: UnitOfWork, envelope: Envelope) -> None:
        await pack_usage.on_session_used(event, uow=SqlPaymentsUnitOfWork(uow))

    @consumers.on(SessionCanceled, purpose="pack-usage-canceled")
    async def on_canceled(event: SessionCanceled, uow: UnitOfWork, envelope: Envelope) -> None:
        await pack_usage.on_session_canceled(event, uow=SqlPaymentsUnitOfWork(uow))
