"""The mentor records what happened: completed, no-show or canceled; notes; a recording."""

from dataclasses import dataclass
from uuid import UUID

from booking.adapters import sessions as sessions_repo
from booking.domain.errors import NotYourSession, SessionNotFound
from booking.domain.sessions import Actor, Session, SessionStatus
from booking.service_layer import session_events
from booking.service_layer.cancel_session import cancel
from booking.service_layer.dependencies import Dependencies
from shared.uow import UnitOfWork


@dataclass(frozen=True)
class UpdateSession:
    session_id: UUID
    mentor_id: str
    status: SessionStatus | None = None
    notes: str | None = None
    recording_url: str | None = None
    reason: str = ""


async def update_session(cmd: UpdateSession, *, uow: UnitOfWork, deps: Dependencies) -> Session:
    """One event per transition, however often the request repeats; illegal ones are 409."""
    db = uow.connection
    session = await sessions_repo.get_session(db, cmd.session_id, lock=True)
    if session is None:
        raise SessionNotFound(f"no session {cmd.session_id}")
    if session.mentor_id != cmd.mentor_id:
        raise NotYourSession("only the session's mentor may update it")
    now = deps.clock.now()
    if cmd.status is SessionStatus.canceled:
        await cancel(session, by=Actor.mentor, reason=cmd.reason, uow=uow, deps=deps)
    elif cmd.status is not None and session.settle(cmd.status, now=now):
        event = (
            session_events.completed(session)
            if cmd.status is SessionStatus.completed
            else session_events.no_show(session, now=now)
        )
        uow.record(event)
    if cmd.notes is not None:
        session.notes = cmd.notes
    if cmd.recording_url is not None:
        session.recording_url = cmd.recording_url
    await sessions_repo.save_session(db, session, now=now)
    return session
