"""Cancel a session: on time the credit comes back; a student inside the window cancels late."""

from dataclasses import dataclass
from uuid import UUID

from booking.adapters.repositories import BookingUnitOfWork
from booking.domain.errors import SessionNotFound
from booking.domain.sessions import Actor, Session, participant
from booking.service_layer import session_events
from booking.service_layer.dependencies import Dependencies


@dataclass(frozen=True)
class CancelSession:
    session_id: UUID
    user_id: str
    reason: str = ""


async def cancel_session(
    cmd: CancelSession, *, uow: BookingUnitOfWork, deps: Dependencies
) -> Session:
    """A participant cancels; repeating the request changes nothing and announces nothing."""
    session = await locked_session(cmd.session_id, uow=uow)
    role = participant(session, cmd.user_id)
    await cancel(session, by=role, reason=cmd.reason, uow=uow, deps=deps)
    return session


async def locked_session(session_id: UUID, *, uow: BookingUnitOfWork) -> Session:
    session = await uow.sessions.get(session_id, lock=True)
    if session is None:
        raise SessionNotFound(f"no session {session_id}")
    return session


async def cancel(
    session: Session, *, by: Actor, reason: str, uow: BookingUnitOfWork, deps: Dependencies
) -> bool:
    """Cancel a locked session: no more reminders, `session.canceled` once."""
    now = deps.clock.now()
    if not session.cancel(
        by=by, now=now, reason=reason, late_window=deps.policy.late_cancel_window
    ):
        return False
    await uow.sessions.save(session, now=now)
    await uow.reminders.drop_unsent(session.id)
    uow.record(session_events.canceled(session))
    return True
