"""Sessions; the exclusion constraint keeps a mentor's live sessions apart."""

from dataclasses import asdict
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import Range, insert
from sqlalchemy.exc import IntegrityError

from booking.adapters.tables import sessions
from booking.domain.availability import Interval
from booking.domain.sessions import Actor, Session, SessionStatus
from shared.db import AnyRow, DbConnection

EXCLUSION_VIOLATION = "23P01"
SESSION_FIELDS = tuple(Session.__dataclass_fields__)


def as_range(interval: Interval) -> Range[datetime]:
    return Range(interval.start, interval.end, bounds="[)")


def session_of(row: AnyRow) -> Session:
    values = {name: row._mapping[name] for name in SESSION_FIELDS if name != "id"}
    values["status"] = SessionStatus(values["status"])
    values["canceled_by"] = Actor(values["canceled_by"]) if values["canceled_by"] else None
    return Session(id=row.session_id, **values)


def _columns(session: Session) -> dict[str, Any]:
    values = asdict(session)
    values["session_id"] = values.pop("id")
    return values


async def add_session(
    db: DbConnection,
    session: Session,
    *,
    blocked: Interval,
    idempotency_key: str,
    fingerprint: str,
    now: datetime,
) -> bool:
    """Insert; False if the time overlaps a live session of the mentor or the key was used."""
    inserted = await db.execute(
        insert(sessions)
        .values(
            **_columns(session),
            blocked=as_range(blocked),
            idempotency_key=idempotency_key,
            request_fingerprint=fingerprint,
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing()  # the exclusion constraint, the key, the id: all arbiters
        .returning(sessions.c.session_id)
    )
    return inserted.first() is not None


async def by_idempotency_key(db: DbConnection, *, student_id: str, key: str) -> AnyRow | None:
    query = select(sessions).where(
        sessions.c.student_id == student_id, sessions.c.idempotency_key == key
    )
    return (await db.execute(query)).first()


async def get_session(db: DbConnection, session_id: UUID, *, lock: bool = False) -> Session | None:
    query = select(sessions).where(sessions.c.session_id == session_id)
    if lock:
        query = query.with_for_update()
    row = (await db.execute(query)).first()
    return session_of(row) if row is not None else None


async def save_session(db: DbConnection, session: Session, *, now: datetime) -> None:
    """Write the session's state back (not its time; see `move_session`)."""
    values = _columns(session)
    for fixed in ("session_id", "starts_at", "ends_at", "sequence"):
        values.pop(fixed)
    await db.execute(
        update(sessions)
        .where(sessions.c.session_id == session.id)
        .values(**values, updated_at=now, changed_at=func.now())
    )


async def move_session(
    db: DbConnection, session: Session, *, blocked: Interval, now: datetime
) -> bool:
    """Write the new time; False if it overlaps another live session of the mentor."""
    try:
        async with db.begin_nested():
            await db.execute(
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


async def future_sessions_of_pack(
    db: DbConnection, pack_id: UUID, *, now: datetime
) -> list[Session]:
    """The pack's scheduled sessions that have not started, locked."""
    rows = await db.execute(
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
