"""Read models for the HTTP API: mentor profiles with their rating, packs, session lists."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import func, select

from booking.adapters.reviews import rating_of
from booking.adapters.tables import mentors, sessions, student_packs
from booking.domain.sessions import SessionStatus
from shared.db import AnyRow, DbConnection


async def mentor_profile(connection: DbConnection, mentor_id: str) -> dict[str, Any] | None:
    row = (
        await connection.execute(select(mentors).where(mentors.c.mentor_id == mentor_id))
    ).first()
    if row is None:
        return None
    average, count = await rating_of(connection, mentor_id)
    return {**row._mapping, "average_rating": average, "review_count": count}


async def live_packs_of_student(
    connection: DbConnection, student_id: str, *, now: datetime
) -> list[AnyRow]:
    """The student's packs that have not expired, soonest to expire first."""
    rows = await connection.execute(
        select(student_packs)
        .where(student_packs.c.student_id == student_id, student_packs.c.expires_at > now)
        .order_by(student_packs.c.expires_at)
    )
    return list(rows)


@dataclass(frozen=True)
class SessionFilter:
    mentor_id: str | None = None
    student_id: str | None = None
    status: SessionStatus | None = None
    when: Literal["upcoming", "past"] | None = None
    starts_from: datetime | None = None
    starts_before: datetime | None = None


async def list_sessions(
    connection: DbConnection, where: SessionFilter, *, now: datetime, limit: int, offset: int
) -> tuple[list[AnyRow], int]:
    """Matching sessions (upcoming soonest first, otherwise newest first) and their total."""
    query = select(sessions)
    conditions = []
    if where.mentor_id is not None:
        conditions.append(sessions.c.mentor_id == where.mentor_id)
    if where.student_id is not None:
        conditions.append(sessions.c.student_id == where.student_id)
    if where.status is not None:
        conditions.append(sessions.c.status == where.status)
    if where.when == "upcoming":
        conditions += [sessions.c.status == SessionStatus.scheduled, sessions.c.ends_at > now]
    elif where.when == "past":
        conditions.append(
            (sessions.c.ends_at <= now) | (sessions.c.status != SessionStatus.scheduled)
        )
    if where.starts_from is not None:
        conditions.append(sessions.c.starts_at >= where.starts_from)
    if where.starts_before is not None:
        conditions.append(sessions.c.starts_at < where.starts_before)
    query = query.where(*conditions)
    order = (
        (sessions.c.starts_at, sessions.c.session_id)
        if where.when == "upcoming"
        else (sessions.c.starts_at.desc(), sessions.c.session_id)
    )
    rows = await connection.execute(query.order_by(*order).limit(limit).offset(offset))
    total = await connection.scalar(select(func.count()).select_from(query.subquery()))
    return list(rows), total or 0


async def session_counts_by_mentor(
    connection: DbConnection, *, starts_from: datetime | None, starts_before: datetime | None
) -> list[AnyRow]:
    """Per mentor: sessions by status in the range, for operators."""
    query = select(
        sessions.c.mentor_id,
        *[
            func.count().filter(sessions.c.status == status).label(status.value)
            for status in SessionStatus
        ],
        func.count().label("total"),
    )
    if starts_from is not None:
        query = query.where(sessions.c.starts_at >= starts_from)
    if starts_before is not None:
        query = query.where(sessions.c.starts_at < starts_before)
    rows = await connection.execute(
        query.group_by(sessions.c.mentor_id).order_by(sessions.c.mentor_id)
    )
    return list(rows)
