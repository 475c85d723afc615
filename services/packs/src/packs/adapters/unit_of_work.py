"""Packs' repositories in SQL on one kernel unit of work (the use cases' `uow`)."""

from packs.adapters.capacity import SqlCapacity
from packs.adapters.credits import SqlCredits
from packs.adapters.packs import SqlPacks
from packs.adapters.seats import SqlHolds, SqlSeats
from packs.adapters.waitlist import SqlWaitlist
from shared.uow import Repositories, UnitOfWork


class SqlPacksUnitOfWork(Repositories):
    """`PacksUnitOfWork` in SQL: every repository shares the kernel unit of work's transaction."""

    def __init__(self, uow: UnitOfWork) -> None:
        super().__init__(uow)
        self.seats = SqlSeats(uow.connection)
        self.holds = SqlHolds(uow.connection)
        self.packs = SqlPacks(uow.connection)
        self.credits = SqlCredits(uow.connection)
        self.capacity = SqlCapacity(uow.connection)
        self.waitlist = SqlWaitlist(uow.connection)
