"""Events booking acts on, each through the kernel's inbox (once per event id)."""

from booking.adapters.unit_of_work import SqlBookingUnitOfWork
from booking.service_layer.dependencies import Dependencies
from booking.service_layer.packs import (
    record_capacity,
    record_pack_status,
    record_purchased_pack,
    record_seat,
)
from booking.service_layer.ports import NoCalendar
from booking.service_layer.revoke_pack_sessions import cancel_sessions_of_revoked_pack
from booking.service_layer.sync_calendar import (
    add_session_event,
    move_session_event,
    remove_session_event,
)
from shared.messaging import Envelope, MessageBus
from shared.messaging.events import (
    MentorCapacityChanged,
    PackDepleted,
    PackExpired,
    PackPurchased,
    PackRevoked,
    SeatGraceStarted,
    SeatReleased,
    SessionBooked,
    SessionCanceled,
    SessionRescheduled,
)
from shared.uow import UnitOfWork


def register(bus: MessageBus, *, deps: Dependencies) -> None:
    consumers = bus.consumers

    @consumers.on(PackPurchased, purpose="pack-purchased")
    async def on_pack_purchased(event: PackPurchased, uow: UnitOfWork, envelope: Envelope) -> None:
        await record_purchased_pack(
            event, uow=SqlBookingUnitOfWork(uow), now=deps.clock.now(), at=envelope.occurred_at
        )

    @consumers.on(PackRevoked, purpose="pack-revoked")
    async def on_pack_revoked(event: PackRevoked, uow: UnitOfWork, envelope: Envelope) -> None:
        booking = SqlBookingUnitOfWork(uow)
        await record_pack_status(event, uow=booking, at=envelope.occurred_at)
        await cancel_sessions_of_revoked_pack(event, uow=booking, deps=deps)

    @consumers.on(PackDepleted, purpose="pack-depleted")
    async def on_depleted(event: PackDepleted, uow: UnitOfWork, envelope: Envelope) -> None:
        await record_pack_status(event, uow=SqlBookingUnitOfWork(uow), at=envelope.occurred_at)

    @consumers.on(PackExpired, purpose="pack-expired")
    async def on_expired(event: PackExpired, uow: UnitOfWork, envelope: Envelope) -> None:
        await record_pack_status(event, uow=SqlBookingUnitOfWork(uow), at=envelope.occurred_at)

    @consumers.on(SeatGraceStarted, purpose="seat-grace-started")
    async def on_grace(event: SeatGraceStarted, uow: UnitOfWork, envelope: Envelope) -> None:
        await record_seat(event, uow=SqlBookingUnitOfWork(uow), at=envelope.occurred_at)

    @consumers.on(SeatReleased, purpose="seat-released")
    async def on_released(event: SeatReleased, uow: UnitOfWork, envelope: Envelope) -> None:
        await record_seat(event, uow=SqlBookingUnitOfWork(uow), at=envelope.occurred_at)

    @consumers.on(MentorCapacityChanged, purpose="mentor-capacity-changed")
    async def on_capacity(
        event: MentorCapacityChanged, uow: UnitOfWork, envelope: Envelope
    ) -> None:
        await record_capacity(event, uow=SqlBookingUnitOfWork(uow), at=envelope.occurred_at)

    if isinstance(deps.calendar, NoCalendar):
        return  # no calendar provider: nothing to keep in step, no consumers to run

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
