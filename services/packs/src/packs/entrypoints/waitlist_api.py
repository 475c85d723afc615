"""HTTP: a full mentor's waitlist, for its students, the mentor and admins."""

from typing import Annotated

from fastapi import APIRouter, Path, Response

from packs.adapters import waitlist as waitlist_views
from packs.adapters.unit_of_work import SqlPacksUnitOfWork
from packs.domain.errors import WaitlistStudentsOnly
from packs.domain.model import WaitlistStatus
from packs.entrypoints.deps import Deps
from packs.entrypoints.schemas import MentorWaitlistRead, WaitlistPlaceRead
from packs.service_layer.join_waitlist import JoinWaitlist, Place, join_waitlist
from packs.service_layer.leave_waitlist import LeaveWaitlist, leave_waitlist
from shared.auth import Role, User
from shared.db import AnyRow
from shared.errors import Forbidden
from shared.http.deps import CurrentUser, ReadDb, Uow
from shared.types import UserId

router = APIRouter(prefix="/v1", tags=["waitlist"])

MentorId = Annotated[UserId, Path()]

JOIN_REFUSALS = (
    "SEAT_AVAILABLE: a seat is free, check out instead; ALREADY_SEATED: you already have a "
    "seat with this mentor (a pack, its grace period, a checkout or an offer)"
)


def _student(user: User) -> None:
    if user.role is not Role.student:
        raise WaitlistStudentsOnly("only a student may join or leave a mentor's waitlist")


def _place(place: Place) -> WaitlistPlaceRead:
    entry = place.entry
    return WaitlistPlaceRead(
        id=entry.id,
        mentor_id=entry.mentor_id,
        student_id=entry.student_id,
        status=entry.status.value,
        position=place.position,
        joined_at=entry.joined_at,
        offer_id=entry.offer_id,
        offer_expires_at=entry.offer_expires_at,
    )


def _row(row: AnyRow) -> WaitlistPlaceRead:
    waiting = row.status == WaitlistStatus.waiting
    return WaitlistPlaceRead(
        id=row.id,
        mentor_id=row.mentor_id,
        student_id=row.student_id,
        status=row.status,
        position=row.waiting_position if waiting else None,
        joined_at=row.joined_at,
        offer_id=row.offer_id,
        offer_expires_at=row.offer_expires_at,
    )


@router.post(
    "/mentors/{mentor_id}/waitlist",
    response_model=WaitlistPlaceRead,
    status_code=201,
    responses={
        200: {"description": "already on the list: the same place", "model": WaitlistPlaceRead},
        403: {"description": "WAITLIST_STUDENTS_ONLY: only a student joins a waitlist"},
        409: {"description": JOIN_REFUSALS},
    },
)
async def join(
    mentor_id: MentorId, user: CurrentUser, uow: Uow, deps: Deps, response: Response
) -> WaitlistPlaceRead:
    """Join a full mentor's waitlist at the end of the line (201), or see the place you have
    (200). When a seat frees, the first in line gets it held for them (`offer_expires_at`)."""
    _student(user)
    command = JoinWaitlist(user.id, mentor_id)
    place = await join_waitlist(command, uow=SqlPacksUnitOfWork(uow), deps=deps)
    await uow.commit()
    if not place.created:
        response.status_code = 200
    return _place(place)


@router.delete(
    "/mentors/{mentor_id}/waitlist",
    status_code=204,
    responses={403: {"description": "WAITLIST_STUDENTS_ONLY: only a student has a place"}},
)
async def leave(mentor_id: MentorId, user: CurrentUser, uow: Uow, deps: Deps) -> Response:
    """Leave the list (204, also when you were not on it); a seat held for you passes on."""
    _student(user)
    await leave_waitlist(LeaveWaitlist(user.id, mentor_id), uow=SqlPacksUnitOfWork(uow), deps=deps)
    await uow.commit()
    return Response(status_code=204)


@router.get("/me/waitlists", response_model=list[WaitlistPlaceRead])
async def my_waitlists(user: CurrentUser, db: ReadDb) -> list[WaitlistPlaceRead]:
    """The caller's places on mentors' waitlists, oldest first, with their position."""
    return [_row(row) for row in await waitlist_views.entries_of_student(db, user.id)]


@router.get("/mentors/{mentor_id}/waitlist", response_model=MentorWaitlistRead)
async def mentor_waitlist(mentor_id: MentorId, user: CurrentUser, db: ReadDb) -> MentorWaitlistRead:
    """The mentor's waitlist in order, standing offers included (the mentor or an admin)."""
    if not user.acts_for(mentor_id, role=Role.mentor):
        raise Forbidden("only this mentor or an admin may see the waitlist")
    entries = [_row(row) for row in await waitlist_views.entries_of_mentor(db, mentor_id)]
    return MentorWaitlistRead(
        mentor_id=mentor_id,
        waiting=sum(e.status == WaitlistStatus.waiting for e in entries),
        offers=sum(e.status == WaitlistStatus.offered for e in entries),
        entries=entries,
    )
