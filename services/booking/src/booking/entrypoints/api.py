"""HTTP: mentor profiles and the packs a student may book from (sessions come with booking)."""

from typing import Annotated

from fastapi import APIRouter, Request
from sqlalchemy import select

from booking.adapters.tables import mentors, student_packs
from booking.entrypoints.schemas import MentorProfileRead, MentorProfileUpdate, StudentPackRead
from booking.service_layer import mentors as profiles
from shared.auth import Role, User, require_role
from shared.errors import NotFound
from shared.http.deps import runtime_of
from shared.runtime import Runtime

router = APIRouter(prefix="/v1", tags=["booking"])

Mentor = Annotated[User, require_role(Role.mentor)]
Student = Annotated[User, require_role(Role.student)]


async def _mentor(runtime: Runtime, mentor_id: str) -> dict:
    async with runtime.session_factory() as db:
        row = (await db.execute(select(mentors).where(mentors.c.mentor_id == mentor_id))).first()
    if row is None:
        raise NotFound(f"no mentor profile {mentor_id}", code="MENTOR_NOT_FOUND")
    return dict(row._mapping)


@router.put("/mentors/me", response_model=MentorProfileRead)
async def put_my_profile(request: Request, body: MentorProfileUpdate, user: Mentor) -> dict:
    """A mentor creates or replaces their profile (time zone required, IANA name)."""
    runtime = runtime_of(request)
    async with runtime.uow() as uow:
        profile = await profiles.save_mentor_profile(
            profiles.SaveMentorProfile(mentor_id=user.id, **body.model_dump()),
            uow=uow,
            outbox=runtime.bus.outbox,
            now=runtime.clock.now(),
        )
        await uow.commit()
    return profile


@router.get("/mentors/me", response_model=MentorProfileRead)
async def get_my_profile(request: Request, user: Mentor) -> dict:
    return await _mentor(runtime_of(request), user.id)


@router.get("/mentors/{mentor_id}", response_model=MentorProfileRead)
async def get_mentor(request: Request, mentor_id: str) -> dict:
    """A mentor's public profile."""
    return await _mentor(runtime_of(request), mentor_id)


@router.get("/students/me/packs", response_model=list[StudentPackRead])
async def my_packs(request: Request, user: Student) -> list[dict]:
    """The student's packs that have not expired, soonest to expire first."""
    runtime = runtime_of(request)
    query = (
        select(student_packs)
        .where(
            student_packs.c.student_id == user.id,
            student_packs.c.expires_at > runtime.clock.now(),
        )
        .order_by(student_packs.c.expires_at)
    )
    async with runtime.session_factory() as db:
        rows = await db.execute(query)
    return [dict(row._mapping) for row in rows]
