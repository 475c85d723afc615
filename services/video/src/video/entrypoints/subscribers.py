"""Keeps the projection of sessions that video tokens are checked against."""

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert

from shared.messaging import Envelope, MessageBus
from shared.messaging.events import (
    SessionBooked,
    SessionCanceled,
    SessionCompleted,
    SessionNoShow,
    SessionRescheduled,
)
from shared.uow import UnitOfWork
from video.adapters.tables import sessions


def register(bus: MessageBus) -> None:
    consumers = bus.consumers

    @consumers.on(SessionBooked, purpose="session-booked")
    async def on_booked(event: SessionBooked, uow: UnitOfWork, envelope: Envelope) -> None:
        values = dict(
            session_id=event.session_id,
            mentor_id=event.mentor_id,
            student_id=event.student_id,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            status="scheduled",
        )
        await uow.session.execute(
            insert(sessions).values(**values).on_conflict_do_nothing(index_elements=["session_id"])
        )

    @consumers.on(SessionRescheduled, purpose="session-rescheduled")
    async def on_rescheduled(event: SessionRescheduled, uow: UnitOfWork, envelope: Envelope):
        await uow.session.execute(
            update(sessions)
            .where(sessions.c.session_id == event.session_id)
            .values(starts_at=event.starts_at, ends_at=event.ends_at)
        )

    async def set_status(uow: UnitOfWork, session_id, status: str) -> None:
        await uow.session.execute(
            update(sessions).where(sessions.c.session_id == session_id).values(status=status)
        )

    @consumers.on(SessionCanceled, purpose="session-canceled")
    async def on_canceled(event: SessionCanceled, uow: UnitOfWork, envelope: Envelope) -> None:
        await set_status(uow, event.session_id, "canceled")

    @consumers.on(SessionCompleted, purpose="session-completed")
    async def on_completed(event: SessionCompleted, uow: UnitOfWork, envelope: Envelope) -> None:
        await set_status(uow, event.session_id, "completed")

    @consumers.on(SessionNoShow, purpose="session-no-show")
    async def on_no_show(event: SessionNoShow, uow: UnitOfWork, envelope: Envelope) -> None:
        await set_status(uow, event.session_id, "no_show")
