"""Cancel a session: on time the credit comes back; a student inside the window cancels late."""

from dataclasses import dataclass
from uuid import UUID

from booking.adapters import reminders as reminders_repo
from booking.adapters import sessions as sessions_repo
from booking.domain.errors import NotYourSession, SessionNotFound
from booking.domain.sessions import Actor, Session
from booking.service_layer import session_events
from booking.service_layer.dependencies import Dependencies
from shared.uow import UnitOfWork


@dataclass(frozen=True)
class CancelSession:
    session_id: UUID
    user_id: str
    reason: str = ""


async def cancel_session(cmd: CancelSession, *, uow: UnitOfWork, deps: Dependencies) -> Session:
    """A participant cancels; repeating the request changes nothing and announces nothing."""
    session = await participants_session(cmd.session_id, cmd.user_id, uow=uow)
    role = session.role_of(cmd.user_id)
    assert role is not None
    await cancel(session, by=role, reason=cmd.reason, uow=uow, deps=deps)
    return session


async def participants_session(session_id: UUID, user_id: str, *, uow: UnitOfWork) -> Session:
    """The session, locked, if the user is its student or mentor."""
    session = await sessions_repo.get_session(uow.connection, session_id, lock=True)
    if session is None:
        raise SessionNotFound(f"no session {session_id}")
    if session.role_of(user_id) is None:
        raise NotYourSession("only the session's student or mentor may do this")
    return session


async def cancel(
    session: Session, *, by: Actor, reason: str, uow: UnitOfWork, deps: Dependencies
) -> bool:
    """Cancel a locked session: no more reminders, `session.canceled` once."""
    now = deps.clock.now()
    if not session.cancel(
        by=by, now=now, reason=reason, late_window=deps.policy.late_cancel_window
    ):
        return False
    await sessions_repo.save_session(uow.connection, session, now=now)
    await reminders_repo.drop_unsent(uow.connection, session.id)
    uow.record(session_events.canceled(session))
    return True
