"""`snapshot.session`: every session as the facts video's projection is built from.

A session gives its `session.booked` with the current times, then its ending (canceled,
completed, no-show) if it has one, all stamped with its last change: the projection's
order-safe handlers end in the same state as from the live events.
"""

from uuid import UUID

from booking.adapters.session_snapshot import sessions_after
from shared.db import AnyRow, DbConnection
from shared.messaging import MessageBus
from shared.messaging.events import (
    Event,
    SessionBooked,
    SessionCanceled,
    SessionCompleted,
    SessionNoShow,
)
from shared.messaging.snapshots import Fact, SnapshotEntry, serve_snapshot

SESSION_SNAPSHOT = "session"


def _facts(row: AnyRow) -> list[Fact]:
    people = {
        "session_id": row.session_id,
        "mentor_id": row.mentor_id,
        "student_id": row.student_id,
    }
    booked = SessionBooked(
        **people,
        pack_id=row.pack_id,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        join_url=row.join_url,
        mentor_timezone=row.mentor_timezone,
        topic=row.topic,
    )
    facts = [Fact(booked, row.updated_at)]
    ending: Event | None = None
    if row.status == "canceled":
        ending = SessionCanceled(
            **people,
            starts_at=row.starts_at,
            canceled_by=row.canceled_by or "system",
            late=row.late,
            reason=row.cancel_reason,
        )
    elif row.status == "completed":
        ending = SessionCompleted(**people, completed_at=row.completed_at)
    elif row.status == "no_show":
        ending = SessionNoShow(**people, recorded_at=row.updated_at)
    if ending is not None:
        facts.append(Fact(ending, row.updated_at))
    return facts


async def read_page(
    connection: DbConnection, *, after: str | None, limit: int
) -> list[SnapshotEntry]:
    rows = await sessions_after(connection, after=UUID(after) if after else None, limit=limit)
    return [SnapshotEntry(position=str(row.session_id), facts=_facts(row)) for row in rows]


def register(bus: MessageBus) -> None:
    serve_snapshot(bus, aggregate=SESSION_SNAPSHOT, read_page=read_page)
