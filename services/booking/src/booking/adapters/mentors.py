"""Mentor profiles and their scheduling settings in the `mentors` table."""

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Row, func, select, text, update
from sqlalchemy.dialects.postgresql import insert

from booking.adapters.tables import mentors, sessions
from booking.domain.schedule import Hours, Schedule, Weekday
from shared.db import AnyRow, DbConnection

SCHEDULE_COLUMNS = (
    "timezone",
    "weekly_hours",
    "date_overrides",
    "buffer_before_minutes",
    "buffer_after_minutes",
    "notice_minutes",
    "horizon_days",
    "session_durations",
)


def schedule_of(row: Any) -> Schedule:
    """The domain schedule from a row (or any mapping) with the scheduling columns."""
    values = row._mapping if isinstance(row, Row) else row
    return Schedule(
        timezone=values["timezone"],
        weekly={Weekday[day]: _hours(spans) for day, spans in values["weekly_hours"].items()},
        overrides={
            date.fromisoformat(day): _hours(spans)
            for day, spans in values["date_overrides"].items()
        },
        buffer_before=timedelta(minutes=values["buffer_before_minutes"]),
        buffer_after=timedelta(minutes=values["buffer_after_minutes"]),
        notice=timedelta(minutes=values["notice_minutes"]),
        horizon=timedelta(days=values["horizon_days"]),
        durations=tuple(values["session_durations"]),
    )


def _hours(spans: list[dict[str, str]]) -> tuple[Hours, ...]:
    return tuple(Hours.parse(span["start"], span["end"]) for span in spans)


def _spans(hours: tuple[Hours, ...]) -> list[dict[str, str]]:
    return [dict(zip(("start", "end"), h.formatted(), strict=True)) for h in hours]


def schedule_columns(schedule: Schedule) -> dict[str, Any]:
    """The columns that store `schedule`, normalised (sorted hours, HH:MM text)."""
    return {
        "timezone": schedule.timezone,
        "weekly_hours": {
            day.name: _spans(hours) for day, hours in sorted(schedule.weekly.items()) if hours
        },
        "date_overrides": {
            day.isoformat(): _spans(hours) for day, hours in sorted(schedule.overrides.items())
        },
        "buffer_before_minutes": int(schedule.buffer_before.total_seconds() // 60),
        "buffer_after_minutes": int(schedule.buffer_after.total_seconds() // 60),
        "notice_minutes": int(schedule.notice.total_seconds() // 60),
        "horizon_days": schedule.horizon.days,
        "session_durations": sorted(set(schedule.durations)),
    }


async def get_mentor(session: DbConnection, mentor_id: str, *, lock: bool = False) -> AnyRow | None:
    query = select(mentors).where(mentors.c.mentor_id == mentor_id)
    if lock:
        query = query.with_for_update()
    return (await session.execute(query)).first()


async def upsert_mentor(
    session: DbConnection, *, mentor_id: str, fields: dict[str, Any], now: datetime
) -> AnyRow:
    statement = insert(mentors).values(
        mentor_id=mentor_id, **fields, created_at=now, updated_at=now
    )
    return (
        await session.execute(
            statement.on_conflict_do_update(
                index_elements=["mentor_id"], set_={**fields, "updated_at": now}
            ).returning(*mentors.c)
        )
    ).one()


# A booking may commit a little after the announcer's read began; looking back this far
# catches it (at the cost of announcing such a mentor once more).
ANNOUNCE_OVERLAP = "30 seconds"


async def mentors_with_changed_sessions(db: DbConnection, *, limit: int) -> list[str]:
    """Mentors whose sessions changed since their availability was last announced."""
    changed = (
        select(sessions.c.mentor_id)
        .where(
            sessions.c.mentor_id == mentors.c.mentor_id,
            sessions.c.changed_at
            > func.coalesce(
                mentors.c.availability_announced_at - text(f"interval '{ANNOUNCE_OVERLAP}'"),
                text("'-infinity'::timestamptz"),
            ),
        )
        .exists()
    )
    rows = await db.execute(
        select(mentors.c.mentor_id)
        .where(changed)
        .order_by(mentors.c.availability_announced_at.nulls_first())
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return [row.mentor_id for row in rows]


async def mark_announced(db: DbConnection, mentor_id: str) -> None:
    await db.execute(
        update(mentors)
        .where(mentors.c.mentor_id == mentor_id)
        .values(availability_announced_at=func.now())
    )
