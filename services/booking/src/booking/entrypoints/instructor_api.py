"""HTTP: the mentor records what happened; operators watch bookings."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from booking.adapters import dashboard as dashboard_repo
from booking.adapters import views
from booking.adapters.sessions import session_of
from booking.adapters.unit_of_work import SqlBookingUnitOfWork
from booking.domain.sessions import SessionStatus
from booking.entrypoints.deps import Deps
from booking.entrypoints.session_schemas import InstructorUpdate, SessionRead
from booking.entrypoints.sessions_api import session_read, session_responses
from booking.service_layer.update_session import UpdateSession, update_session
from shared.http.deps import Admin, Mentor, ReadDb, Uow
from shared.types import Page, Paging, Timestamp, UserId

router = APIRouter(prefix="/v1", tags=["instructor"])


@router.patch(
    "/instructor/sessions/{session_id}",
    response_model=SessionRead,
    responses=session_responses(conflicts="ILLEGAL_TRANSITION"),
)
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
    session = await update_session(command, uow=SqlBookingUnitOfWork(uow), deps=deps)
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
    mentor_id: Annotated[UserId | None, Query()] = None,
    student_id: Annotated[UserId | None, Query()] = None,
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


class DashboardStudent(BaseModel):
    student_id: str
    seat_id: UUID
    seat_status: str
    grace_ends_at: datetime | None
    pack_expires_at: datetime | None
    sessions_total: int
    sessions_used: int
    sessions_booked: int
    sessions_left: int = Field(description="not used yet: total − used (booked ones included)")
    sessions_to_book: int = Field(description="still bookable: total − used − booked")


class DashboardSession(BaseModel):
    session_id: UUID
    student_id: str
    status: str
    starts_at: datetime
    ends_at: datetime
    topic: str


class DashboardRead(BaseModel):
    mentor_id: str
    capacity: int | None
    live_seats: int | None
    open_seats: int | None
    students: list[DashboardStudent]
    upcoming: list[DashboardSession]
    recent: list[DashboardSession]


@router.get("/mentors/me/dashboard", response_model=DashboardRead)
async def dashboard(user: Mentor, db: ReadDb, deps: Deps) -> DashboardRead:
    """Active students (seat, grace deadline, pack expiry, sessions left), upcoming and recent
    sessions, open seats — from booking's tables and its projection of packs' events."""
    now = deps.clock.now()
    capacity = await dashboard_repo.capacity_of(db, user.id)
    students = await dashboard_repo.students_of(db, user.id, now=now)
    upcoming, recent = await dashboard_repo.sessions_around(db, user.id, now=now, limit=10)
    return DashboardRead(
        mentor_id=user.id,
        capacity=capacity.capacity if capacity else None,
        live_seats=capacity.live_seats if capacity else None,
        open_seats=capacity.open_seats if capacity else None,
        students=[
            DashboardStudent(
                **row._mapping,
                sessions_left=row.sessions_total - row.sessions_used,
                sessions_to_book=row.sessions_total - row.sessions_used - row.sessions_booked,
            )
            for row in students
        ],
        upcoming=[DashboardSession.model_validate(row._mapping) for row in upcoming],
        recent=[DashboardSession.model_validate(row._mapping) for row in recent],
    )
