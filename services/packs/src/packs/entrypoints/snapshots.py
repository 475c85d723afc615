"""`snapshot.mentor_capacity`: every mentor's open seats, for rebuilding search's directory.

Each mentor gives one `mentor.capacity_changed` with its numbers as they are now, stamped with
their last change, so the directory's order-safe handler ends where the live events lead.
"""

from packs.adapters.capacity_snapshot import capacities_after
from packs.service_layer.seat_changes import capacity_changed
from shared.db import DbConnection
from shared.messaging import MessageBus
from shared.messaging.snapshots import Fact, SnapshotEntry, serve_snapshot

MENTOR_CAPACITY_SNAPSHOT = "mentor_capacity"


async def read_page(
    connection: DbConnection, *, after: str | None, limit: int
) -> list[SnapshotEntry]:
    rows = await capacities_after(connection, after=after, limit=limit)
    return [
        SnapshotEntry(
            position=row.mentor_id,
            facts=[
                Fact(
                    capacity_changed(
                        mentor_id=row.mentor_id, capacity=row.capacity, live=row.live_seats
                    ),
                    row.changed_at,
                )
            ],
        )
        for row in rows
    ]


def register(bus: MessageBus) -> None:
    serve_snapshot(bus, aggregate=MENTOR_CAPACITY_SNAPSHOT, read_page=read_page)
