"""HTTP: a session as video sees it, a join token for its participants, its joins."""

from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from shared.errors import NotFound
from shared.http.deps import CurrentUser, ReadDb
from shared.http.errors import status_for
from shared.http.problems import problem
from video.adapters import projection, views
from video.domain.access import may_see_joins, may_see_session
from video.domain.errors import NotTheMentor, TooEarly, TooLate
from video.entrypoints.deps import Deps
from video.entrypoints.schemas import (
    AttendanceRead,
    GrantRead,
    JoinsRead,
    SessionRead,
    TokenRead,
)
from video.service_layer.issue_token import IssueToken, issue_token

router = APIRouter(prefix="/v1", tags=["video"])


@router.get(
    "/sessions/{session_id}",
    response_model=SessionRead,
    responses={404: {"description": "NOT_FOUND (also for someone not in the session)"}},
)
async def get_session(session_id: UUID, user: CurrentUser, db: ReadDb) -> SessionRead:
    """A session as video sees it; only its participants and admins may look."""
    view = await projection.get_view(db, session_id)
    if view is None or not may_see_session(view, user_id=user.id, is_admin=user.is_admin):
        raise NotFound(f"no session {session_id}")
    return SessionRead.model_validate(view, from_attributes=True)


@router.post(
    "/sessions/{session_id}/token",
    response_model=TokenRead,
    responses={
        403: {"description": "NOT_A_PARTICIPANT"},
        409: {"description": "SESSION_NOT_SCHEDULED, TOO_EARLY (opens_at), TOO_LATE (closed_at)"},
    },
)
async def post_token(session_id: UUID, user: CurrentUser, deps: Deps) -> TokenRead | JSONResponse:
    """An RTC token for the session's mentor or student, from 15 min before to 15 min after."""
    command = IssueToken(session_id=session_id, user_id=user.id, role=user.role)
    try:
        issued = await issue_token(command, records=deps.tokens, deps=deps)
    except TooEarly as refused:
        return _window_problem(refused, opens_at=refused.opens_at.isoformat())
    except TooLate as refused:
        return _window_problem(refused, closed_at=refused.closed_at.isoformat())
    return TokenRead.model_validate(issued, from_attributes=True)


def _window_problem(refused: TooEarly | TooLate, **times: str) -> JSONResponse:
    """The refusal with the time joining opens (or closed) as a field a client can use."""
    title = refused.code.replace("_", " ").capitalize()
    return problem(status_for(refused), refused.code, title, refused.detail, extra=times)


@router.get(
    "/sessions/{session_id}/joins",
    response_model=JoinsRead,
    responses={403: {"description": "NOT_THE_SESSION_MENTOR"}, 404: {"description": "NOT_FOUND"}},
)
async def get_joins(session_id: UUID, user: CurrentUser, db: ReadDb) -> JoinsRead:
    """Tokens issued and Agora's joins and leaves: for the session's mentor or an admin."""
    view = await projection.get_view(db, session_id)
    if view is None:
        raise NotFound(f"no session {session_id}")
    if not may_see_joins(view, user_id=user.id, role=user.role, is_admin=user.is_admin):
        raise NotTheMentor("only this session's mentor or an admin may see its joins")
    return JoinsRead(
        session_id=session_id,
        tokens=[
            GrantRead.model_validate(r._mapping) for r in await views.grants_of(db, session_id)
        ],
        attendance=[
            AttendanceRead.model_validate(r._mapping)
            for r in await views.attendance_of(db, session_id)
        ],
    )
