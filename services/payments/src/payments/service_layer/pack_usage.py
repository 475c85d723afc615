"""Keep the pack-usage projection: packs says which pack an order became, booking what was used.

A session's credit counts as used when it is completed, a no-show, or canceled late by the
student (ARCHITECTURE §5); those are the sessions a pro-rata refund does not give back.
"""

from payments.adapters.repositories import PaymentsUnitOfWork
from shared.messaging.events import (
    PackPurchased,
    SessionBooked,
    SessionCanceled,
    SessionCompleted,
    SessionNoShow,
)


async def on_pack_purchased(event: PackPurchased, *, uow: PaymentsUnitOfWork) -> None:
    await uow.pack_usage.add_pack(
        order_id=event.order_id,
        pack_id=event.pack_id,
        sessions_total=event.sessions_total,
    )


async def on_session_booked(event: SessionBooked, *, uow: PaymentsUnitOfWork) -> None:
    await uow.pack_usage.booked(session_id=event.session_id, pack_id=event.pack_id)


async def on_session_used(
    event: SessionCompleted | SessionNoShow, *, uow: PaymentsUnitOfWork
) -> None:
    await uow.pack_usage.consumed(session_id=event.session_id)


async def on_session_canceled(event: SessionCanceled, *, uow: PaymentsUnitOfWork) -> None:
    if event.canceled_by == "student" and event.late:
        await uow.pack_usage.consumed(session_id=event.session_id)
