"""Keep the pack-usage projection: packs says which pack an order became, booking what was used.

A session's credit counts as used when it is completed, a no-show, or canceled late by the
student (ARCHITECTURE §5); those are the sessions a pro-rata refund does not give back.
"""

from payments.adapters import pack_usage as usage_repo
from shared.messaging.events import (
    PackPurchased,
    SessionBooked,
    SessionCanceled,
    SessionCompleted,
    SessionNoShow,
)
from shared.uow import UnitOfWork


async def on_pack_purchased(event: PackPurchased, *, uow: UnitOfWork) -> None:
    await usage_repo.add_pack(
        uow.connection,
        order_id=event.order_id,
        pack_id=event.pack_id,
        sessions_total=event.sessions_total,
    )


async def on_session_booked(event: SessionBooked, *, uow: UnitOfWork) -> None:
    await usage_repo.booked(uow.connection, session_id=event.session_id, pack_id=event.pack_id)


async def on_session_used(event: SessionCompleted | SessionNoShow, *, uow: UnitOfWork) -> None:
    await usage_repo.consumed(uow.connection, session_id=event.session_id)


async def on_session_canceled(event: SessionCanceled, *, uow: UnitOfWork) -> None:
    if event.canceled_by == "student" and event.late:
        await usage_repo.consumed(uow.connection, session_id=event.session_id)
