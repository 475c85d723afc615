"""The mentor records what happened: completed, no-show or canceled; notes; a recording."""

from dataclasses import dataclass
from uuid import UUID

from booking.adapters.repositories import BookingUnitOfWork
from booking.domain.sessions import Actor, Session, SessionStatus, check_mentor
from booking.service_layer import session_events
from booking.service_layer.cancel_session import cancel, locked_session
from booking.service_layer.dependencies import Dependencies


@dataclass(frozen=True)
class UpdateSession:
    session_id: UUID
    mentor_id: str
    status: SessionStatus | None = None
    notes: str | None = None
    recording_url: str | None = None
    reason: str = ""


async def update_session(
    cmd: UpdateSession, *, uow: BookingUnitOfWork, deps: Dependencies
) -> Session:
    """One event per transition, however often the request repeats; illegal ones are 409."""
    session = await locked_session(cmd.session_id, uow=uow)
    check_mentor(session, cmd.mentor_id)
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
    await uow.sessions.save(session, now=now)
    return session
