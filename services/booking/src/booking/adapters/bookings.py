"""The booking saga's two statements, each one round trip, built once (decision 0031).

`mentor_time` reads the schedule and the busy ranges for availability the same way, on the
driver (decision 0036).
`check` reads, in one snapshot, the session an idempotency key already booked, the mentor's
schedule and what takes their time around the slot (its buffers computed in SQL from the
mentor's own columns). `insert` adds the session under the exclusion constraint and, only if
it won, drops the student's holds with the mentor and plans its reminders.
"""

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import text

from booking.adapters.driver import DriverStatement
from booking.adapters.mentors import RULE_COLUMNS, rules_of, schedule_of
from booking.adapters.repositories import BookingCheck, KeyedBooking, MentorTime
from booking.adapters.sessions import SESSION_COLUMNS, SESSION_FIELDS, session_from
from booking.domain.availability import Interval
from booking.domain.booking_rules import Booked, BookingRules
from booking.domain.sessions import Session, SessionStatus
from shared.db import DbConnection

_EARLIER_COLUMNS = ", ".join(f"e.{column} AS e_{column}" for column in SESSION_COLUMNS)

_SCHEDULE_AND_BUSY = f"""
SELECT m.timezone, m.weekly_hours, m.date_overrides, m.buffer_before_minutes,
       m.buffer_after_minutes, m.notice_minutes, m.horizon_days, m.session_durations,
       {", ".join(f"m.{column}" for column in RULE_COLUMNS)},
       b.busy_starts, b.busy_ends"""
"""The mentor's schedule and the bounds of what takes their time (`_BUSY`)."""

_BUSY = f"""
  LEFT JOIN LATERAL (
      SELECT array_agg(lower(t.blocked)) AS busy_starts, array_agg(upper(t.blocked)) AS busy_ends
        FROM (SELECT s.blocked FROM sessions s
               WHERE s.mentor_id = m.mentor_id AND s.status = '{SessionStatus.scheduled}'
                 AND s.blocked && w.around
              UNION ALL
              SELECT h.blocked FROM slot_holds h
               WHERE h.mentor_id = m.mentor_id AND h.expires_at > :now
                 AND h.student_id <> :student_id AND h.blocked && w.around) AS t
  ) AS b ON true"""
"""The busy ranges (sessions, other students' live holds) that overlap `w.around`, a window
the statement computes from the mentor's buffers: their bounds as two arrays in one order
(NULL when none), so the driver decodes timestamps, not a range object per row."""

CHECK = DriverStatement.compiled(
    text(
        f"""{_SCHEDULE_AND_BUSY},
       e.request_fingerprint AS e_fingerprint, {_EARLIER_COLUMNS}
  FROM (SELECT 1) AS one
  LEFT JOIN mentors m ON m.mentor_id = :mentor_id
  LEFT JOIN LATERAL (
      SELECT tstzrange(
          CAST(:starts_at AS timestamptz) - make_interval(mins => m.buffer_before_minutes),
          CAST(:ends_at AS timestamptz) + make_interval(mins => m.buffer_after_minutes),
          '[)') AS around
  ) AS w ON true
  LEFT JOIN sessions e ON e.student_id = :student_id AND e.idempotency_key = :key{_BUSY}
"""
    )
)
"""On the driver too (decision 0036), as `MENTOR_TIME`."""

MENTOR_TIME = DriverStatement.compiled(
    text(
        f"""{_SCHEDULE_AND_BUSY}
  FROM mentors m
  CROSS JOIN LATERAL (
      SELECT make_interval(days => 1, mins => m.buffer_before_minutes + m.buffer_after_minutes)
          AS margin
  ) AS g
  CROSS JOIN LATERAL (
      SELECT tstzrange(CAST(:starts_at AS timestamptz) - g.margin,
                       CAST(:ends_at AS timestamptz) + g.margin, '[)') AS around
  ) AS w{_BUSY}
 WHERE m.mentor_id = :mentor_id
"""
    )
)
"""Run on the driver (decision 0036): JSONB arrives decoded by the dialect's codecs, arrays
as lists."""

INSERT = text(
    """
WITH inserted AS (
    INSERT INTO sessions (session_id, mentor_id, student_id, pack_id, starts_at, ends_at,
        blocked, status, topic, join_url, mentor_timezone, sequence, notes, recording_url,
        completed_at, canceled_at, canceled_by, cancel_reason, late, idempotency_key,
        request_fingerprint, created_at, updated_at)
    VALUES (:session_id, :mentor_id, :student_id, :pack_id, :starts_at, :ends_at,
        tstzrange(CAST(:blocked_from AS timestamptz), CAST(:blocked_to AS timestamptz), '[)'),
        :status, :topic, :join_url, :mentor_timezone, :sequence, :notes, :recording_url,
        :completed_at, :canceled_at, :canceled_by, :cancel_reason, :late, :idempotency_key,
        :fingerprint, :now, :now)
    ON CONFLICT DO NOTHING  -- the exclusion constraint, the key, the id: all arbiters
    RETURNING session_id, sequence
), dropped AS (
    DELETE FROM slot_holds
     WHERE student_id = :student_id AND mentor_id = :mentor_id
       AND EXISTS (SELECT 1 FROM inserted)
), planned AS (
    INSERT INTO session_reminders (session_id, sequence, offset_minutes, due_at)
    SELECT i.session_id, i.sequence, r.offset_minutes, r.due_at
      FROM inserted i,
           unnest(CAST(:offsets AS integer[]), CAST(:due_at AS timestamptz[]))
               AS r(offset_minutes, due_at)
    ON CONFLICT DO NOTHING
)
SELECT count(*) FROM inserted
"""
)


class SqlBookings:
    """`BookingRepository` in SQL: the booking saga's reads and writes, one statement each."""

    def __init__(self, connection: DbConnection) -> None:
        self._connection = connection

    async def check(
        self, *, mentor_id: str, student_id: str, key: str, slot: Interval, now: datetime
    ) -> BookingCheck:
        row = await CHECK.fetch_row(
            self._connection,
            {
                "mentor_id": mentor_id,
                "student_id": student_id,
                "key": key,
                "starts_at": slot.start,
                "ends_at": slot.end,
                "now": now,
            },
        )
        assert row is not None  # `FROM (SELECT 1)`: always one row
        earlier = None
        if row["e_fingerprint"] is not None:
            earlier = KeyedBooking(session_from(row, prefix="e_"), row["e_fingerprint"])
        schedule = None if row["timezone"] is None else schedule_of(row)
        return BookingCheck(
            earlier=earlier, schedule=schedule, busy=_busy(row["busy_starts"], row["busy_ends"])
        )

    async def mentor_time(
        self, *, mentor_id: str, during: Interval, now: datetime
    ) -> MentorTime | None:
        row = await MENTOR_TIME.fetch_row(
            self._connection,
            {
                "mentor_id": mentor_id,
                "student_id": "",  # no student: every live hold counts
                "starts_at": during.start,
                "ends_at": during.end,
                "now": now,
            },
        )
        if row is None:
            return None
        return MentorTime(schedule_of(row), _busy(row["busy_starts"], row["busy_ends"]))

    async def insert(
        self,
        session: Session,
        *,
        blocked: Interval,
        idempotency_key: str,
        fingerprint: str,
        reminders: list[tuple[int, datetime]],
        now: datetime,
    ) -> bool:
        values: dict[str, Any] = {
            name: getattr(session, name) for name in SESSION_FIELDS if name != "id"
        }
        inserted = await self._connection.scalar(
            INSERT,
            {
                **values,
                "session_id": session.id,
                "status": session.status.value,
                "canceled_by": session.canceled_by.value if session.canceled_by else None,
                "blocked_from": blocked.start,
                "blocked_to": blocked.end,
                "idempotency_key": idempotency_key,
                "fingerprint": fingerprint,
                "offsets": [offset for offset, _ in reminders],
                "due_at": [at for _, at in reminders],
                "now": now,
            },
        )
        return bool(inserted)

    async def booked(
        self, *, mentor_id: str, during: Interval, except_session: UUID | None = None
    ) -> list[Booked]:
        rows = await self._connection.execute(
            BOOKED,
            {
                "mentor_id": mentor_id,
                "starts_from": during.start,
                "starts_before": during.end,
                "except_session": except_session,
            },
        )
        return [Booked(row.starts_at, row.student_id) for row in rows]

    async def lock_rules(self, mentor_id: str) -> BookingRules | None:
        row = (await self._connection.execute(LOCK_RULES, {"mentor_id": mentor_id})).first()
        return None if row is None else rules_of(row._mapping)


BOOKED = text(
    f"""
SELECT starts_at, student_id FROM sessions
 WHERE mentor_id = :mentor_id AND status <> '{SessionStatus.canceled}'
   AND starts_at >= :starts_from AND starts_at < :starts_before
   AND session_id IS DISTINCT FROM CAST(:except_session AS uuid)
"""
)
LOCK_RULES = text(
    f"SELECT {', '.join(RULE_COLUMNS)} FROM mentors WHERE mentor_id = :mentor_id FOR UPDATE"
)


def _busy(starts: list[datetime] | None, ends: list[datetime] | None) -> list[Interval]:
    if starts is None or ends is None:
        return []
    return [Interval(start, end) for start, end in zip(starts, ends, strict=True)]
