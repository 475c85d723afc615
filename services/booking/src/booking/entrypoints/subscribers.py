"""Events booking acts on, each through the kernel's inbox (once per event id)."""

from booking.service_layer.dependencies import Dependencies
from booking.service_layer.packs import record_purchased_pack
from booking.service_layer.revoke_pack_sessions import cancel_sessions_of_revoked_pack
from booking.service_layer.sync_calendar import (
    add_session_event,
    move_session_event,
    remove_session_event,
)
from shared.messaging import Envelope, MessageBus
from shared.messaging.events import (
    PackPurchased,
    PackRevoked,
    SessionBooked,
    SessionCanceled,
    SessionRescheduled,
)
from shared.uow import UnitOfWork


def register(bus: MessageBus, *, deps: Dependencies) -> None:
    consumers = bus.consumers

    @consumers.on(PackPurchased, purpose="pack-purchased")
    async def on_pack_purchased(event: PackPurchased, uow: UnitOfWork, envelope: Envelope) -> None:
        await record_purchased_pack(event, uow=uow, now=deps.clock.now())

    @consumers.on(PackRevoked, purpose="pack-revoked")
    async def on_pack_revoked(event: PackRevoked, uow: UnitOfWork, envelope: Envelope) -> None:
        await cancel_sessions_of_revoked_pack(event, uow=uow, deps=deps)

    # The mentor's calendar follows the sessions after commit; a failure is retried by the
    # consumer's backoff, and the derived event id keeps retries from making two events.
    @consumers.on(SessionBooked, purpose="calendar-session-booked")
    async def on_booked(event: SessionBooked, uow: UnitOfWork, envelope: Envelope) -> None:
        await add_session_event(event, deps=deps)

    @consumers.on(SessionRescheduled, purpose="calendar-session-rescheduled")
    async def on_rescheduled(
        event: SessionRescheduled, uow: UnitOfWork, envelope: Envelope
    ) -> None:
        await move_session_event(event, deps=deps)

    @consumers.on(SessionCanceled, purpose="calendar-session-canceled")
    async def on_canceled(event: SessionCanceled, uow: UnitOfWork, envelope: Envelope) -> None:
        await remove_session_event(event, deps=deps)
