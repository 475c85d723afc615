"""Mentor profiles and their scheduling settings in the `mentors` table."""

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, func, select, text, update
from sqlalchemy.dialects.postgresql import insert

from booking.adapters.tables import mentors, sessions
from booking.domain.booking_rules import BookingRules
from booking.domain.schedule import Hours, Schedule, Weekday
from shared.db import AnyRow, DbConnection

RULE_COLUMNS = (
    "max_sessions_per_day",
    "max_sessions_per_student_week",
    "max_sessions_per_student_month",
    "reschedule_notice_hours",
    "max_reschedules_per_session",
)
"""A mentor's booking rules; NULL is no limit."""
SCHEDULE_COLUMNS = (
    "timezone",
    "weekly_hours",
    "date_overrides",
    "buffer_before_minutes",
    "buffer_after_minutes",
    "notice_minutes",
    "horizon_days",
    "session_durations",
    *RULE_COLUMNS,
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
        rules=rules_of(values),
    )


def rules_of(values: Any) -> BookingRules:
    notice = values["reschedule_notice_hours"]
    return BookingRules(
        sessions_per_day=values["max_sessions_per_day"],
        sessions_per_student_week=values["max_sessions_per_student_week"],
        sessions_per_student_month=values["max_sessions_per_student_month"],
        reschedule_notice=None if notice is None else timedelta(hours=notice),
        reschedules_per_session=values["max_reschedules_per_session"],
    )


def rule_columns(rules: BookingRules) -> dict[str, Any]:
    notice = rules.reschedule_notice
    return {
        "max_sessions_per_day": rules.sessions_per_day,
        "max_sessions_per_student_week": rules.sessions_per_student_week,
        "max_sessions_per_student_month": rules.sessions_per_student_month,
        "reschedule_notice_hours": None if notice is None else int(notice.total_seconds() // 3600),
        "max_reschedules_per_session": rules.reschedules_per_session,
    }


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
        **rule_columns(schedule.rules),
    }


# A booking may commit a little after the announcer's read began; looking back this far
# catches it (at the cost of announcing such a mentor once more).
ANNOUNCE_OVERLAP = "30 seconds"


def _sessions_changed() -> ColumnElement[bool]:
    """The mentor's sessions changed since their availability was last announced."""
    return (
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


class SqlMentors:
    """`MentorRepository` in SQL."""

    def __init__(self, connection: DbConnection) -> None:
        self._connection = connection

    async def schedule(self, mentor_id: str) -> Schedule | None:
        row = await self._row(select(mentors).where(mentors.c.mentor_id == mentor_id))
        return None if row is None else schedule_of(row)

    async def profile(self, mentor_id: str, *, lock: bool = False) -> dict[str, Any] | None:
        query = select(mentors).where(mentors.c.mentor_id == mentor_id)
        row = await self._row(query.with_for_update() if lock else query)
        return None if row is None else dict(row._mapping)

    async def upsert(
        self, mentor_id: str, *, fields: dict[str, Any], now: datetime
    ) -> dict[str, Any]:
        statement = insert(mentors).values(
            mentor_id=mentor_id, **fields, created_at=now, updated_at=now
        )
        upsert = statement.on_conflict_do_update(
            index_elements=["mentor_id"], set_={**fields, "updated_at": now}
        )
        return dict((await self._connection.execute(upsert.returning(*mentors.c))).one()._mapping)

    async def with_changed_sessions(self, *, limit: int) -> list[str]:
        rows = await self._connection.execute(
            select(mentors.c.mentor_id)
            .where(_sessions_changed())
            .order_by(mentors.c.availability_announced_at.nulls_first())
            .limit(limit)
        )
        return [row.mentor_id for row in rows]

    async def claim_changed(self, mentor_id: str) -> Schedule | None:
        query = (
            select(mentors)
            .where(mentors.c.mentor_id == mentor_id, _sessions_changed())
            .with_for_update(skip_locked=True)
        )
        row = await self._row(query)
        return None if row is None else schedule_of(row)

    async def mark_announced(self, mentor_id: str) -> None:
        await self._connection.execute(
            update(mentors)
            .where(mentors.c.mentor_id == mentor_id)
            .values(availability_announced_at=func.now())
        )

    async def _row(self, query: Select[Any]) -> AnyRow | None:
        row: AnyRow | None = (await self._connection.execute(query)).first()
        return row
