"""`snapshot.mentor`: every mentor as the facts search's directory is built from (decision 0006).

A mentor gives its `mentor.updated` (stamped with the profile's last change), its newest
`review.submitted` with the current average and count (stamped with that review), and its
`mentor.availability_changed` as booking's tables see it now (stamped now).
"""

from typing import Any

from sqlalchemy import Row

from booking.adapters.bookings import SqlBookings
from booking.adapters.busy import SqlBusy
from booking.adapters.mentor_snapshot import latest_reviews, mentors_after
from booking.adapters.mentors import schedule_of
from booking.service_layer.announce_availability import current_availability
from booking.service_layer.save_profile import mentor_updated
from shared.clock import Clock
from shared.db import DbConnection
from shared.messaging import MessageBus
from shared.messaging.events import ReviewSubmitted
from shared.messaging.snapshots import Fact, ReadPage, SnapshotEntry, serve_snapshot

MENTOR_SNAPSHOT = "mentor"


def _review(row: Row[Any]) -> Fact:
    review = ReviewSubmitted(
        review_id=row.review_id,
        session_id=row.session_id,
        mentor_id=row.mentor_id,
        student_id=row.student_id,
        rating=row.rating,
        average_rating=float(row.average_rating),
        review_count=row.review_count,
    )
    return Fact(review, row.created_at)


def page_reader(clock: Clock) -> ReadPage:
    async def read_page(
        connection: DbConnection, *, after: str | None, limit: int
    ) -> list[SnapshotEntry]:
        rows = await mentors_after(connection, after=after, limit=limit)
        newest_reviews = await latest_reviews(connection, [row.mentor_id for row in rows])
        now = clock.now()
        busy = SqlBusy(connection)
        bookings = SqlBookings(connection)
        entries = []
        for row in rows:
            facts = [Fact(mentor_updated(dict(row._mapping)), row.updated_at)]
            if (review := newest_reviews.get(row.mentor_id)) is not None:
                facts.append(_review(review))
            availability = await current_availability(
                row.mentor_id, schedule=schedule_of(row), busy=busy, bookings=bookings, now=now
            )
            facts.append(Fact(availability, now))
            entries.append(SnapshotEntry(position=row.mentor_id, facts=facts))
        return entries

    return read_page


def register(bus: MessageBus, *, clock: Clock) -> None:
    serve_snapshot(bus, aggregate=MENTOR_SNAPSHOT, read_page=page_reader(clock))
