"""HTTP: mentor profiles and settings, availability, eligibility, reviews, a student's packs."""

from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Response

from booking.adapters import reviews as reviews_repo
from booking.adapters import views
from booking.adapters.unit_of_work import SqlBookingUnitOfWork
from booking.domain.errors import MentorNotFound
from booking.entrypoints.deps import Deps, MentorId, Reader
from booking.entrypoints.schemas import (
    AVAILABILITY_JSON,
    AvailabilityJson,
    AvailabilityRead,
    EligibilityRead,
    MentorProfileRead,
    MentorProfileUpdate,
    ReviewRead,
    ReviewsPage,
    SlotJson,
    StudentPackRead,
)
from booking.service_layer.availability import GetAvailability, get_availability
from booking.service_layer.save_profile import SaveMentorProfile, save_mentor_profile
from shared.auth import Role
from shared.db import DbConnection
from shared.http.deps import Mentor, ReadDb, Student, Uow
from shared.types import IanaTimezone, Timestamp, int_range

router = APIRouter(prefix="/v1", tags=["mentors"])

MENTOR_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "MENTOR_NOT_FOUND"}}
"""The documented failure of a route on one mentor's public profile."""
AVAILABILITY_REFUSALS = (
    "DURATION_NOT_OFFERED: the mentor offers no sessions of this length (never an empty "
    "list); `offered_durations` lists the lengths they do offer; "
    "INVALID_AVAILABILITY_RANGE: empty, or longer than 31 days; TOO_MANY_SLOTS: over 500"
)


async def _profile(db: DbConnection, mentor_id: str) -> dict[str, Any]:
    profile = await views.mentor_profile(db, mentor_id)
    if profile is None:
        raise MentorNotFound(f"no mentor profile {mentor_id}")
    return profile


@router.put("/mentors/me", response_model=MentorProfileRead)
async def put_my_profile(
    body: MentorProfileUpdate, user: Mentor, uow: Uow, deps: Deps
) -> dict[str, Any]:
    """A mentor creates or replaces their profile and scheduling settings."""
    command = SaveMentorProfile(user.id, profile=body.profile(), schedule=body.schedule())
    await save_mentor_profile(command, uow=SqlBookingUnitOfWork(uow), deps=deps)
    await uow.commit()
    return await _profile(uow.connection, user.id)


@router.get(
    "/mentors/me",
    response_model=MentorProfileRead,
    responses={404: {"description": "MENTOR_NOT_FOUND: no profile yet"}},
)
async def get_my_profile(user: Mentor, db: ReadDb) -> dict[str, Any]:
    return await _profile(db, user.id)


@router.get(
    "/mentors/{mentor_id}",
    response_model=MentorProfileRead,
    responses=MENTOR_NOT_FOUND,
)
async def get_mentor(mentor_id: MentorId, db: ReadDb) -> dict[str, Any]:
    """A mentor's public profile with their average rating."""
    return await _profile(db, mentor_id)


@router.get(
    "/mentors/{mentor_id}/availability",
    response_model=AvailabilityRead,
    responses={**MENTOR_NOT_FOUND, 422: {"description": AVAILABILITY_REFUSALS}},
)
async def availability(
    mentor_id: MentorId,
    deps: Deps,
    start: Annotated[Timestamp, Query(alias="from")],
    end: Annotated[Timestamp, Query(alias="to")],
    duration: Annotated[int, int_range(ge=1, le=480), Query()],
    reader: Reader,
    tz: Annotated[IanaTimezone, Query()] = "UTC",
) -> Response:
    """Free slots starting in [from, to) (≤ 31 days, ≤ 500 slots), in UTC and in `tz`.

    Never a slot the mentor's rules would refuse: a day at their daily limit offers none; a
    student who sends their bearer token also sees none in a week or month where they reached
    the mentor's per-student limits. No token, or one that does not verify: read anonymously.
    """
    student = reader.id if reader is not None and reader.role is Role.student else None
    query = GetAvailability(mentor_id, start, end, duration, student_id=student)
    found = await get_availability(query, deps=deps)
    zone = ZoneInfo(tz)
    answer = AvailabilityJson(
        mentor_id=mentor_id,
        mentor_timezone=found.mentor_timezone,
        timezone=tz,
        duration_minutes=duration,
        calendar_status=found.calendar_status.value,
        slots=[
            SlotJson(slot.start, slot.end, slot.start.astimezone(zone), slot.end.astimezone(zone))
            for slot in found.slots
        ],
    )
    # AvailabilityRead's bytes, built once (decision 0036): `response_model` documents them.
    return Response(AVAILABILITY_JSON.dump_json(answer), media_type="application/json")


@router.get(
    "/mentors/{mentor_id}/eligibility",
    response_model=EligibilityRead,
    responses={503: {"description": "UPSTREAM_UNAVAILABLE / UPSTREAM_TIMEOUT: packs is silent"}},
)
async def eligibility(
    mentor_id: MentorId,
    user: Student,
    deps: Deps,
    starts_at: Annotated[Timestamp | None, Query()] = None,
) -> EligibilityRead:
    """Whether the student may book this mentor, and if not the packs code saying why."""
    found = await deps.packs.eligibility(
        student_id=user.id, mentor_id=mentor_id, starts_at=starts_at
    )
    return EligibilityRead.model_validate(found.model_dump())


@router.get(
    "/mentors/{mentor_id}/reviews",
    response_model=ReviewsPage,
    responses=MENTOR_NOT_FOUND,
)
async def mentor_reviews(
    mentor_id: MentorId,
    db: ReadDb,
    limit: Annotated[int, int_range(ge=1, le=100), Query()] = 10,
    offset: Annotated[int, int_range(ge=0, le=100_000), Query()] = 0,
) -> ReviewsPage:
    """The most recent reviews first (10 by default) and the mentor's average."""
    await _profile(db, mentor_id)
    rows, total = await reviews_repo.reviews_of(db, mentor_id, limit=limit, offset=offset)
    average, count = await reviews_repo.rating_of(db, mentor_id)
    return ReviewsPage(
        items=[ReviewRead.model_validate(row._mapping) for row in rows],
        total=total,
        limit=limit,
        offset=offset,
        average_rating=average,
        review_count=count,
    )


@router.get("/students/me/packs", response_model=list[StudentPackRead])
async def my_packs(user: Student, db: ReadDb, deps: Deps) -> list[dict[str, Any]]:
    """The student's packs that have not expired, soonest to expire first."""
    rows = await views.live_packs_of_student(db, user.id, now=deps.clock.now())
    return [dict(row._mapping) for row in rows]
