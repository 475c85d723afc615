"""HTTP: the mentor records what happened; operators watch bookings."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel

from booking.adapters import views
from booking.adapters.sessions import session_of
from booking.domain.sessions import SessionStatus
from booking.entrypoints.deps import Deps
from booking.entrypoints.session_schemas import InstructorUpdate, SessionRead
from booking.entrypoints.sessions_api import session_read
from booking.service_layer.update_session import UpdateSession, update_session
from shared.http.deps import Admin, Mentor, ReadDb, Uow
from shared.types import Identifier, Page, Paging, Timestamp

router = APIRouter(prefix="/v1", tags=["instructor"])


@router.patch("/instructor/sessions/{session_id}", response_model=SessionRead)
async def update(
    session_id: UUID, body: InstructorUpdate, user: Mentor, uow: Uow, deps: Deps
) -> SessionRead:
    """Only the session's mentor: completed / no_show / canceled, notes, recording URL."""
    command = UpdateSession(
        session_id,
        user.id,
        status=SessionStatus(body.status) if body.status else None,
        notes=body.notes,
        recording_url=body.recording_url,
        reason=body.reason,
    )
    session = await update_session(command, uow=uow, deps=deps)
    await uow.commit()
    return session_read(session)


class MentorSessionCounts(BaseModel):
    mentor_id: str
    scheduled: int
    completed: int
    no_show: int
    canceled: int
    total: int


@router.get("/admin/sessions", response_model=Page[SessionRead])
async def admin_sessions(
    user: Admin,
    db: ReadDb,
    deps: Deps,
    paging: Annotated[Paging, Query()],
    mentor_id: Annotated[Identifier | None, Query()] = None,
    student_id: Annotated[Identifier | None, Query()] = None,
    status: Annotated[SessionStatus | None, Query()] = None,
    start: Annotated[Timestamp | None, Query(alias="from")] = None,
    end: Annotated[Timestamp | None, Query(alias="to")] = None,
) -> Page[SessionRead]:
    """Every session, newest first, filtered by mentor, student, status and start range."""
    where = views.SessionFilter(
        mentor_id=mentor_id,
        student_id=student_id,
        status=status,
        starts_from=start,
        starts_before=end,
    )
    rows, total = await views.list_sessions(
        db, where, now=deps.clock.now(), limit=paging.limit, offset=paging.offset
    )
    return Page[SessionRead](
        items=[session_read(session_of(row)) for row in rows],
        total=total,
        limit=paging.limit,
        offset=paging.offset,
    )


@router.get("/admin/sessions/counts", response_model=list[MentorSessionCounts])
async def admin_session_counts(
    user: Admin,
    db: ReadDb,
    start: Annotated[Timestamp | None, Query(alias="from")] = None,
    end: Annotated[Timestamp | None, Query(alias="to")] = None,
) -> list[MentorSessionCounts]:
    """Sessions per mentor by status, to monitor bookings."""
    rows = await views.session_counts_by_mentor(db, starts_from=start, starts_before=end)
    return [MentorSessionCounts.model_validate(row._mapping) for row in rows]
