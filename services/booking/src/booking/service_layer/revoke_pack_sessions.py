"""A revoked pack (refund) loses its future sessions, with no late penalty."""

from booking.adapters.repositories import BookingUnitOfWork
from booking.domain.sessions import Actor
from booking.service_layer.cancel_session import cancel
from booking.service_layer.dependencies import Dependencies
from shared.messaging.events import PackRevoked


async def cancel_sessions_of_revoked_pack(
    event: PackRevoked, *, uow: BookingUnitOfWork, deps: Dependencies
) -> int:
    """How many sessions were canceled."""
    future = await uow.sessions.future_of_pack(event.pack_id, now=deps.clock.now())
    canceled = 0
    for session in future:
        if await cancel(session, by=Actor.system, reason="pack revoked", uow=uow, deps=deps):
            canceled += 1
    return canceled
