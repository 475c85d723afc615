"""HTTP: a student's packs, a mentor's seats and capacity, one pack."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path

from packs.adapters import capacity as capacity_repo
from packs.adapters import views
from packs.adapters.unit_of_work import SqlPacksUnitOfWork
from packs.domain.seats import open_seats
from packs.entrypoints.deps import Deps
from packs.entrypoints.schemas import (
    CapacityRead,
    CapacityUpdate,
    MentorSeatsRead,
    PackRead,
    SeatRead,
)
from packs.service_layer.change_capacity import ChangeCapacity, change_capacity
from shared.auth import Role, User
from shared.errors import Forbidden, NotFound
from shared.http.deps import CurrentUser, ReadDb, Uow
from shared.types import UserId

router = APIRouter(prefix="/v1", tags=["packs"])


MentorId = Annotated[UserId, Path()]


def _may_manage(user: User, mentor_id: str) -> None:
    if not user.acts_for(mentor_id, role=Role.mentor):
        raise Forbidden("only this mentor or an admin may do this")


@router.get("/me/packs", response_model=list[PackRead])
async def my_packs(user: CurrentUser, db: ReadDb, deps: Deps) -> list[PackRead]:
    """The caller's packs, newest first: bookable, voided, reserved, used, expiry, seat status."""
    rows = await views.packs_of_student(db, user.id, now=deps.clock.now())
    return [PackRead.model_validate(row._mapping) for row in rows]


@router.get("/packs/{pack_id}", response_model=PackRead)
async def get_pack(pack_id: UUID, user: CurrentUser, db: ReadDb, deps: Deps) -> PackRead:
    """One pack, for its student, its mentor or an admin."""
    row = await views.pack_by_id(db, pack_id, now=deps.clock.now())
    if row is None or not user.acts_for(row.student_id, row.mentor_id):
        raise NotFound(f"no pack {pack_id}")
    return PackRead.model_validate(row._mapping)


@router.get("/mentors/{mentor_id}/seats", response_model=MentorSeatsRead)
async def mentor_seats(
    mentor_id: MentorId, user: CurrentUser, db: ReadDb, deps: Deps
) -> MentorSeatsRead:
    """The instructor dashboard: live seats with grace and expiry, capacity and open seats."""
    _may_manage(user, mentor_id)
    capacity = await capacity_repo.read_capacity(
        db, mentor_id=mentor_id, default=deps.policy.default_capacity
    )
    rows = await views.live_seats_of_mentor(db, mentor_id, now=deps.clock.now())
    return MentorSeatsRead(
        mentor_id=mentor_id,
        capacity=capacity,
        live_seats=len(rows),
        open_seats=open_seats(capacity=capacity, live=len(rows)),
        seats=[SeatRead.model_validate(row._mapping) for row in rows],
    )


@router.put("/mentors/{mentor_id}/capacity", response_model=CapacityRead)
async def put_capacity(
    mentor_id: MentorId, body: CapacityUpdate, user: CurrentUser, uow: Uow, deps: Deps
) -> CapacityRead:
    """Change the capacity; below the live seats it frees nothing and blocks new holds."""
    _may_manage(user, mentor_id)
    command = ChangeCapacity(mentor_id, body.capacity)
    view = await change_capacity(command, uow=SqlPacksUnitOfWork(uow), deps=deps)
    await uow.commit()
    return CapacityRead(
        mentor_id=view.mentor_id,
        capacity=view.capacity,
        live_seats=view.live_seats,
        open_seats=view.open_seats,
    )
