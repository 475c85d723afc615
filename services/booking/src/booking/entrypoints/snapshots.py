"""`snapshot.session`: every session as the facts video's projection is built from.

A session gives its `session.booked` with the current times, then its ending (canceled,
completed, no-show) if it has one, all stamped with its last change: the projection's
order-safe handlers end in the same state as from the live events. The facts are built by the
use cases' own builders (`session_events`), so a replayed fact is the live one.
"""

from uuid import UUID

from booking.adapters.session_snapshot import sessions_after
from booking.adapters.sessions import session_of
from booking.domain.sessions import SessionStatus
from booking.service_layer import session_events
from shared.db import AnyRow, DbConnection
from shared.messaging import MessageBus
from shared.messaging.events import Event
from shared.messaging.snapshots import Fact, SnapshotEntry, serve_snapshot

SESSION_SNAPSHOT = "session"


def _facts(row: AnyRow) -> list[Fact]:
    session = session_of(row)
    facts = [Fact(session_events.booked(session), row.updated_at)]
    ending: Event | None = None
    if session.status is SessionStatus.canceled:
        ending = session_events.canceled(session)
    elif session.status is SessionStatus.completed:
        ending = session_events.completed(session)
    elif session.status is SessionStatus.no_show:
        ending = session_events.no_show(session, now=row.updated_at)
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
