"""Apply one session fact to the projection, live or from a snapshot: newest state wins."""

from sqlalchemy import Table

from shared.db import DbConnection
from shared.messaging.events import (
    Envelope,
    SessionBooked,
    SessionCanceled,
    SessionCompleted,
    SessionEvent,
    SessionNoShow,
    SessionRescheduled,
)
from shared.uow import UnitOfWork
from video.adapters import projection
from video.domain.sessions import SessionStatus, SessionView
from video.service_layer.ports import Dependencies

ENDINGS: dict[type[SessionEvent], SessionStatus] = {
    SessionCanceled: SessionStatus.canceled,
    SessionCompleted: SessionStatus.completed,
    SessionNoShow: SessionStatus.no_show,
}
SessionFact = (
    SessionBooked | SessionRescheduled | SessionCanceled | SessionCompleted | SessionNoShow
)


def _merge(view: SessionView, event: SessionFact, envelope: Envelope) -> bool:
    at = envelope.occurred_at
    if isinstance(event, SessionBooked):
        moved = view.move(starts_at=event.starts_at, ends_at=event.ends_at, at=at)
        return view.set_status(SessionStatus.scheduled, at=at) or moved
    if isinstance(event, SessionRescheduled):
        return view.move(starts_at=event.starts_at, ends_at=event.ends_at, at=at)
    return view.set_status(ENDINGS[type(event)], at=at)


async def project_fact(connection: DbConnection, table: Table, envelope: Envelope) -> None:
    """Merge the fact into `table`'s view of its session under a row lock (idempotent)."""
    event = envelope.payload()
    if not isinstance(event, SessionFact):
        return
    view = await projection.lock_view(
        connection,
        table,
        session_id=event.session_id,
        mentor_id=event.mentor_id,
        student_id=event.student_id,
    )
    if _merge(view, event, envelope):
        await projection.save_view(connection, table, view)


async def apply_session_fact(envelope: Envelope, *, uow: UnitOfWork, deps: Dependencies) -> None:
    """A live event: to the projection, and to its shadow while a rebuild runs."""
    for table in await deps.rebuild.targets(uow.connection):
        await project_fact(uow.connection, table, envelope)
