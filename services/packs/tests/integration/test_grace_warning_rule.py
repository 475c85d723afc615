"""The grace-warning rule is written once in Python and once in SQL: this pins them together."""

from datetime import timedelta

from sqlalchemy import select

from packs.adapters import seats as seats_repo
from packs.adapters.tables import seats
from packs.domain.model import SeatStatus
from packs.domain.policy import Policy
from packs.domain.seats import grace_warning_due

WINDOW = Policy().grace_warning
TICK = timedelta(microseconds=1)

# How long before the end of grace "now" is: around both edges of the warning window.
ENDS_IN = [
    WINDOW + timedelta(hours=1),
    WINDOW + TICK,
    WINDOW,
    WINDOW - TICK,
    timedelta(hours=1),
    TICK,
    timedelta(0),
    -TICK,
    -timedelta(hours=1),
]


async def test_the_seats_the_job_finds_are_exactly_those_the_domain_says_to_warn(packs_app):
    now = packs_app.clock.now()
    async with packs_app.runtime.uow() as uow:
        connection = uow.connection
        for n, ends_in in enumerate(ENDS_IN):
            for warned in (False, True):
                for status in (SeatStatus.grace, SeatStatus.active):
                    seat = await seats_repo.add_seat(
                        connection,
                        student_id=f"s{n}-{warned}-{status}",
                        mentor_id="m1",
                        status=SeatStatus.active,
                        now=now,
                    )
                    if status is SeatStatus.grace:
                        await seats_repo.start_grace(
                            connection, seat_id=seat.id, ends_at=now + ends_in
                        )
                    if warned:
                        await seats_repo.mark_warned(connection, seat_id=seat.id, now=now)
        await uow.commit()

    async with packs_app.runtime.uow() as uow:
        found = await seats_repo.SqlSeats(uow.connection).grace_warnings_due(
            now=now, window=WINDOW, limit=1000
        )
        rows = await uow.connection.execute(select(seats))
        every_seat = [seats_repo.to_seat(row) for row in rows]
    due = {s.id for s in every_seat if grace_warning_due(s, now=now, policy=Policy())}

    assert {seat.id for seat in found} == due
    assert len(due) == 4  # from `WINDOW` before the end until the end: WINDOW, -TICK, 1h, TICK
