"""Keeps the mentor directory from events; each upsert tolerates any arrival order."""

from datetime import datetime

from sqlalchemy import Column, or_
from sqlalchemy.dialects.postgresql import insert

from search.adapters.tables import mentor_directory as directory
from shared.messaging.events import MentorCapacityChanged, MentorUpdated, ReviewSubmitted
from shared.uow import UnitOfWork

PROFILE_FIELDS = (
    "display_name",
    "title",
    "company",
    "bio",
    "specialties",
    "job_family",
    "years_experience",
    "timezone",
    "accepting_students",
)


async def apply_profile(
    event: MentorUpdated, *, uow: UnitOfWork, occurred_at: datetime, now: datetime
) -> None:
    values = {name: getattr(event, name) for name in PROFILE_FIELDS}
    await _upsert(
        uow,
        mentor_id=event.mentor_id,
        values={**values, "profile_at": occurred_at},
        stamp=directory.c.profile_at,
        occurred_at=occurred_at,
        now=now,
    )


async def apply_capacity(
    event: MentorCapacityChanged, *, uow: UnitOfWork, occurred_at: datetime, now: datetime
) -> None:
    values = {
        "capacity": event.capacity,
        "open_seats": event.open_seats,
        "capacity_at": occurred_at,
    }
    await _upsert(
        uow,
        mentor_id=event.mentor_id,
        values=values,
        stamp=directory.c.capacity_at,
        occurred_at=occurred_at,
        now=now,
    )


async def apply_rating(
    event: ReviewSubmitted, *, uow: UnitOfWork, occurred_at: datetime, now: datetime
) -> None:
    values = {
        "rating_avg": event.average_rating,
        "rating_count": event.review_count,
        "rating_at": occurred_at,
    }
    await _upsert(
        uow,
        mentor_id=event.mentor_id,
        values=values,
        stamp=directory.c.rating_at,
        occurred_at=occurred_at,
        now=now,
    )


async def _upsert(
    uow: UnitOfWork,
    *,
    mentor_id: str,
    values: dict,
    stamp: Column,
    occurred_at: datetime,
    now: datetime,
) -> None:
    """Insert the mentor's row or update these columns, unless they hold a newer fact."""
    await uow.session.execute(
        insert(directory)
        .values(mentor_id=mentor_id, **values, updated_at=now)
        .on_conflict_do_update(
            index_elements=["mentor_id"],
            set_={**values, "updated_at": now},
            where=or_(stamp.is_(None), stamp <= occurred_at),
        )
    )
