"""HTTP: slot holds, booking, rescheduling, canceling, reviews and a participant's sessions."""

from typing import Annotated, Any, Literal
from uuid import UUID
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Header, Query, Response

from booking.adapters import views
from booking.adapters.ics import session_invite
from booking.adapters.sessions import get_session as find_session
from booking.adapters.unit_of_work import SqlBookingUnitOfWork
from booking.domain.errors import SessionNotFound
from booking.domain.sessions import Session, participant
from booking.entrypoints.deps import Deps, Participant
from booking.entrypoints.session_schemas import (
    IdempotencyKey,
    ReviewAddedRead,
    ReviewCreate,
    SessionCancel,
    SessionCreate,
    SessionListItem,
    SessionRead,
    SessionReschedule,
    SlotHoldCreate,
    SlotHoldRead,
)
from booking.service_layer.book_session import BookSession, book_session
from booking.service_layer.cancel_session import CancelSession, cancel_session
from booking.service_layer.dependencies import Dependencies
from booking.service_layer.hold_slot import HoldSlot, hold_slot
from booking.service_layer.reschedule_session import RescheduleSession, reschedule_session
from booking.service_layer.submit_review import SubmitReview, submit_review
from shared.db import DbConnection
from shared.http.deps import Mentor, ReadDb, Student, Uow
from shared.types import IanaTimezone, Page, Paging

router = APIRouter(prefix="/v1", tags=["sessions"])

MOVE_CONFLICTS = "TIME_SLOT_UNAVAILABLE, ILLEGAL_TRANSITION, SESSION_NOT_SCHEDULED"


def session_responses(*, conflicts: str | None = None) -> dict[int | str, dict[str, Any]]:
    """The documented failures of a route on one session; `conflicts` lists its 409 codes."""
    responses: dict[int | str, dict[str, Any]] = {
        403: {"description": "NOT_YOUR_SESSION"},
        404: {"description": "SESSION_NOT_FOUND"},
    }
    if conflicts is not None:
        responses[409] = {"description": conflicts}
    return responses


def session_read(session: Session) -> SessionRead:
    return SessionRead(
        session_id=session.id,
        **{
            name: getattr(session, name)
            for name in SessionRead.model_fields
            if name != "session_id"
        },
    )


@router.post(
    "/slot-holds",
    response_model=SlotHoldRead,
    status_code=201,
    responses={
        404: {"description": "MENTOR_NOT_FOUND"},
        409: {"description": "TIME_SLOT_UNAVAILABLE"},
        503: {"description": "CALENDAR_UNAVAILABLE"},
    },
)
async def create_slot_hold(
    body: SlotHoldCreate, user: Student, uow: Uow, deps: Deps
) -> SlotHoldRead:
    """Keep a slot for a few minutes (5 by default); others see it taken meanwhile."""
    command = HoldSlot(user.id, body.mentor_id, body.starts_at, body.duration_minutes)
    held = await hold_slot(command, uow=SqlBookingUnitOfWork(uow), deps=deps)
    await uow.commit()
    return SlotHoldRead(**held.__dict__)


@router.post(
    "/sessions",
    response_model=SessionRead,
    status_code=201,
    responses={
        200: {"model": SessionRead, "description": "the session this Idempotency-Key booked"},
        404: {"description": "MENTOR_NOT_FOUND"},
        409: {"description": "TIME_SLOT_UNAVAILABLE or the packs code (NO_REMAINING_SESSIONS…)"},
        503: {"description": "UPSTREAM_UNAVAILABLE / UPSTREAM_TIMEOUT / CALENDAR_UNAVAILABLE"},
    },
)
async def book(
    body: SessionCreate,
    user: Student,
    deps: Deps,
    response: Response,
    idempotency_key: Annotated[IdempotencyKey, Header()],
) -> SessionRead:
    """Book a slot with one credit; the same Idempotency-Key again answers the same session."""
    command = BookSession(
        student_id=user.id,
        mentor_id=body.mentor_id,
        starts_at=body.starts_at,
        duration_minutes=body.duration_minutes,
        topic=body.topic,
        idempotency_key=idempotency_key,
    )
    booking = await book_session(command, deps=deps)
    if not booking.created:
        response.status_code = 200
    return session_read(booking.session)


@router.post(
    "/sessions/{session_id}/reschedule",
    response_model=SessionRead,
    responses=session_responses(conflicts=MOVE_CONFLICTS),
)
async def reschedule(
    session_id: UUID, body: SessionReschedule, user: Participant, uow: Uow, deps: Deps
) -> SessionRead:
    """Move the session (student or mentor); the credit stays, the notice rule applies."""
    command = RescheduleSession(session_id, user.id, body.starts_at)
    session = await reschedule_session(command, uow=SqlBookingUnitOfWork(uow), deps=deps)
    await uow.commit()
    return session_read(session)


@router.post(
    "/sessions/{session_id}/cancel",
    response_model=SessionRead,
    responses=session_responses(conflicts=MOVE_CONFLICTS),
)
async def cancel(
    session_id: UUID, body: SessionCancel, user: Participant, uow: Uow, deps: Deps
) -> SessionRead:
    """Cancel (student or mentor); a student inside the notice window cancels late."""
    command = CancelSession(session_id, user.id, body.reason)
    session = await cancel_session(command, uow=SqlBookingUnitOfWork(uow), deps=deps)
    await uow.commit()
    return session_read(session)


@router.post(
    "/sessions/{session_id}/review",
    response_model=ReviewAddedRead,
    status_code=201,
    responses=session_responses(conflicts="ALREADY_REVIEWED, REVIEW_NOT_ALLOWED"),
)
async def review(
    session_id: UUID, body: ReviewCreate, user: Student, uow: Uow, deps: Deps
) -> ReviewAddedRead:
    """The student reviews a completed session, once."""
    command = SubmitReview(session_id, user.id, body.rating, body.comment)
    added = await submit_review(command, uow=SqlBookingUnitOfWork(uow), deps=deps)
    await uow.commit()
    return ReviewAddedRead(**added.__dict__)


@router.get(
    "/sessions/{session_id}",
    response_model=SessionRead,
    responses=session_responses(),
)
async def get_session(session_id: UUID, user: Participant, db: ReadDb) -> SessionRead:
    return session_read(await _participants_session(db, session_id, user.id))


@router.get(
    "/sessions/{session_id}/ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}, **session_responses()},
)
async def ics(session_id: UUID, user: Participant, db: ReadDb, deps: Deps) -> Response:
    """The session as an iCalendar invite (a cancel once canceled)."""
    session = await _participants_session(db, session_id, user.id)
    return Response(
        session_invite(session, stamp=deps.clock.now()),
        media_type="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="session-{session.id}.ics"'},
    )


async def _participants_session(db: DbConnection, session_id: UUID, user_id: str) -> Session:
    session = await find_session(db, session_id)
    if session is None:
        raise SessionNotFound(f"no session {session_id}")
    participant(session, user_id)
    return session


When = Annotated[Literal["upcoming", "past"], Query()]
Tz = Annotated[IanaTimezone, Query()]


@router.get("/me/sessions", response_model=Page[SessionListItem])
async def my_sessions(
    user: Student,
    db: ReadDb,
    deps: Deps,
    paging: Annotated[Paging, Query()],
    status: When = "upcoming",
    tz: Tz = "UTC",
) -> Page[SessionListItem]:
    """The student's sessions: upcoming soonest first, or past newest first."""
    where = views.SessionFilter(student_id=user.id, when=status)
    return await _page(db, where, paging=paging, tz=tz, deps=deps, counterpart="mentor_id")


@router.get("/mentors/me/sessions", response_model=Page[SessionListItem])
async def mentor_sessions(
    user: Mentor,
    db: ReadDb,
    deps: Deps,
    paging: Annotated[Paging, Query()],
    status: When = "upcoming",
    tz: Tz = "UTC",
) -> Page[SessionListItem]:
    """The mentor's sessions: upcoming soonest first, or past newest first."""
    where = views.SessionFilter(mentor_id=user.id, when=status)
    return await _page(db, where, paging=paging, tz=tz, deps=deps, counterpart="student_id")


async def _page(
    db: DbConnection,
    where: views.SessionFilter,
    *,
    paging: Paging,
    tz: str,
    deps: Dependencies,
    counterpart: str,
) -> Page[SessionListItem]:
    rows, total = await views.list_sessions(
        db, where, now=deps.clock.now(), limit=paging.limit, offset=paging.offset
    )
    zone = ZoneInfo(tz)
    items = [
        SessionListItem(
            session_id=row.session_id,
            status=row.status,
            counterpart_id=getattr(row, counterpart),
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            local_starts_at=row.starts_at.astimezone(zone),
            local_ends_at=row.ends_at.astimezone(zone),
            topic=row.topic,
            join_url=row.join_url,
        )
        for row in rows
    ]
    return Page[SessionListItem](items=items, total=total, limit=paging.limit, offset=paging.offset)
