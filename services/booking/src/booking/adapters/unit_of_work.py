"""Booking's repositories in SQL on one kernel unit of work (the use cases' `uow`)."""

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from booking.adapters.bookings import SqlBookings
from booking.adapters.busy import SqlBusy
from booking.adapters.calendar_feeds import SqlCalendarFeeds
from booking.adapters.credit_releases import SqlCreditReleases
from booking.adapters.holds import SqlHolds
from booking.adapters.mentors import SqlMentors
from booking.adapters.packs_projection import SqlPacksProjection
from booking.adapters.reminders import SqlReminders
from booking.adapters.repositories import BookingReads, OwnBookingUnit
from booking.adapters.reviews import SqlReviews
from booking.adapters.sessions import SqlSessions
from shared.db import ConnectionFactory
from shared.uow import Repositories, UnitOfWork, UnitOfWorkFactory


class SqlBookingUnitOfWork(Repositories):
    """`BookingUnitOfWork` in SQL: every repository shares the kernel unit of work's transaction."""

    def __init__(self, uow: UnitOfWork) -> None:
        super().__init__(uow)
        connection = uow.connection
        self.bookings = SqlBookings(connection)
        self.sessions = SqlSessions(connection)
        self.busy = SqlBusy(connection)
        self.holds = SqlHolds(connection)
        self.reminders = SqlReminders(connection)
        self.mentors = SqlMentors(connection)
        self.reviews = SqlReviews(connection)
        self.packs = SqlPacksProjection(connection)
        self.credit_releases = SqlCreditReleases(connection)
        self.calendar_feeds = SqlCalendarFeeds(connection)

    async def commit(self) -> None:
        await self.unit_of_work.commit()


def own_units(
    factory: UnitOfWorkFactory,
) -> Callable[[], AbstractAsyncContextManager[OwnBookingUnit]]:
    """Units of work a use case opens and commits itself (`Dependencies.own_unit`)."""

    @asynccontextmanager
    async def open_unit() -> AsyncIterator[OwnBookingUnit]:
        async with factory() as uow:
            yield SqlBookingUnitOfWork(uow)

    return open_unit


class SqlBookingReads:
    """`BookingReads` in SQL, on a connection in autocommit: a read with no BEGIN and ROLLBACK."""

    def __init__(self, bookings: SqlBookings) -> None:
        self.bookings = bookings


def own_reads(
    connections: ConnectionFactory,
) -> Callable[[], AbstractAsyncContextManager[BookingReads]]:
    """Reads a use case makes outside any transaction (`Dependencies.own_reads`)."""

    @asynccontextmanager
    async def open_reads() -> AsyncIterator[BookingReads]:
        async with connections() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            yield SqlBookingReads(SqlBookings(connection))

    return open_reads
