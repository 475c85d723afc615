"""Sessions; the exclusion constraint keeps a mentor's live sessions apart."""

from collections.abc import Mapping
from dataclasses import asdict
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import Range
from sqlalchemy.exc import IntegrityError

from booking.adapters.repositories import KeyedBooking
from booking.adapters.tables import sessions
from booking.domain.availability import Interval
from booking.domain.sessions import Actor, Session, SessionStatus
from shared.db import AnyRow, DbConnection

EXCLUSION_VIOLATION = "23P01"
SESSION_FIELDS = tuple(Session.__dataclass_fields__)


def as_range(interval: Interval) -> Range[datetime]:
    return Range(interval.start, interval.end, bounds="[)")


SESSION_COLUMNS = tuple("session_id" if name == "id" else name for name in SESSION_FIELDS)
"""The columns a Session is read from, in the order of its fields."""


def session_from(values: Mapping[Any, Any], *, prefix: str = "") -> Session:
    """The session from its columns, each named `prefix` + column."""
    fields = {
        name: values[prefix + column]
        for name, column in zip(SESSION_FIELDS, SESSION_COLUMNS, strict=True)
    }
    fields["status"] = SessionStatus(fields["status"])
    fields["canceled_by"] = Actor(fields["canceled_by"]) if fields["canceled_by"] else None
    return Session(**fields)


def session_of(row: AnyRow) -> Session:
    return session_from(row._mapping)


def _columns(session: Session) -> dict[str, Any]:
    values = asdict(session)
    values["session_id"] = values.pop("id")
    return values


async def get_session(connection: DbConnection, session_id: UUID) -> Session | None:
    """The session, for a read (not locked)."""
    return await SqlSessions(connection).get(session_id)


class SqlSessions:
    """`SessionRepository` in SQL."""

    def __init__(self, connection: DbConnection) -> None:
        self._connection = connection

    async def by_idempotency_key(self, *, student_id: str, key: str) -> KeyedBooking | None:
        query = select(sessions).where(
            sessions.c.student_id == student_id, sessions.c.idempotency_key == key
        )
        row = (await self._connection.execute(query)).first()
        return None if row is None else KeyedBooking(session_of(row), row.request_fingerprint)

    async def get(self, session_id: UUID, *, lock: bool = False) -> Session | None:
        query = select(sessions).where(sessions.c.session_id == session_id)
        if lock:
            query = query.with_for_update()
        row = (await self._connection.execute(query)).first()
        return session_of(row) if row is not None else None

    async def save(self, session: Session, *, now: datetime) -> None:
        values = _columns(session)
        for fixed in ("session_id", "starts_at", "ends_at", "sequence"):
            values.pop(fixed)
        await self._connection.execute(
            update(sessions)
            .where(sessions.c.session_id == session.id)
            .values(**values, updated_at=now, changed_at=func.now())
        )

    async def move(self, session: Session, *, blocked: Interval, now: datetime) -> bool:
        try:
            async with self._connection.begin_nested():
                await self._connection.execute(
                    update(sessions)
                    .where(sessions.c.session_id == session.id)
                    .values(
                        starts_at=session.starts_at,
                        ends_at=session.ends_at,
                        sequence=session.sequence,
                        blocked=as_range(blocked),
                        updated_at=now,
                        changed_at=func.now(),
                    )
                )
        except IntegrityError as exc:
            if getattr(exc.orig, "sqlstate", None) == EXCLUSION_VIOLATION:
                return False
            raise
        return True

    async def future_of_pack(self, pack_id: UUID, *, now: datetime) -> list[Session]:
        rows = await self._connection.execute(
            select(sessions)
            .where(
                sessions.c.pack_id == pack_id,
                sessions.c.status == SessionStatus.scheduled,
                sessions.c.starts_at > now,
            )
            .order_by(sessions.c.starts_at)
            .with_for_update()
        )
        return [session_of(row) for row in rows]
