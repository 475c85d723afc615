"""Events packs consumes, each through the kernel's inbox (once per event id)."""

from packs.adapters.unit_of_work import SqlPacksUnitOfWork
from packs.domain.cancellation import Canceller
from packs.domain.model import SettlementOutcome
from packs.service_layer.consume_credit import ConsumeCredit, consume_credit
from packs.service_layer.dependencies import Dependencies
from packs.service_layer.fulfil_purchase import fulfil_purchase
from packs.service_layer.release_hold import release_hold
from packs.service_layer.revoke_pack import revoke_pack
from packs.service_layer.settle_cancellation import SettleCancellation, settle_cancellation
from packs.service_layer.verify_booking import verify_booking
from shared.messaging import Envelope, MessageBus
from shared.messaging.events import (
    PaymentFailed,
    PaymentRefunded,
    PaymentSucceeded,
    SessionBooked,
    SessionCanceled,
    SessionCompleted,
    SessionNoShow,
)
from shared.uow import UnitOfWork


def register(bus: MessageBus, *, deps: Dependencies) -> None:
    consumers = bus.consumers

    @consumers.on(PaymentSucceeded, purpose="payment-succeeded")
    async def on_paid(event: PaymentSucceeded, uow: UnitOfWork, envelope: Envelope) -> None:
        await fulfil_purchase(event, uow=SqlPacksUnitOfWork(uow), deps=deps)

    @consumers.on(PaymentFailed, purpose="payment-failed")
    async def on_failed(event: PaymentFailed, uow: UnitOfWork, envelope: Envelope) -> None:
        await release_hold(event.order_id, uow=SqlPacksUnitOfWork(uow), deps=deps)

    @consumers.on(PaymentRefunded, purpose="payment-refunded")
    async def on_refunded(event: PaymentRefunded, uow: UnitOfWork, envelope: Envelope) -> None:
        await revoke_pack(event, uow=SqlPacksUnitOfWork(uow), deps=deps)

    @consumers.on(SessionCompleted, purpose="session-completed")
    async def on_completed(event: SessionCompleted, uow: UnitOfWork, envelope: Envelope) -> None:
        cmd = ConsumeCredit(event.session_id, SettlementOutcome.completed)
        await consume_credit(cmd, uow=SqlPacksUnitOfWork(uow), deps=deps)

    @consumers.on(SessionNoShow, purpose="session-no-show")
    async def on_no_show(event: SessionNoShow, uow: UnitOfWork, envelope: Envelope) -> None:
        cmd = ConsumeCredit(event.session_id, SettlementOutcome.no_show)
        await consume_credit(cmd, uow=SqlPacksUnitOfWork(uow), deps=deps)

    @consumers.on(SessionCanceled, purpose="session-canceled")
    async def on_canceled(event: SessionCanceled, uow: UnitOfWork, envelope: Envelope) -> None:
        cmd = SettleCancellation(event.session_id, Canceller(event.canceled_by), event.late)
        await settle_cancellation(cmd, uow=SqlPacksUnitOfWork(uow), deps=deps)

    @consumers.on(SessionBooked, purpose="session-booked")
    async def on_booked(event: SessionBooked, uow: UnitOfWork, envelope: Envelope) -> None:
        await verify_booking(event, uow=SqlPacksUnitOfWork(uow), deps=deps)
