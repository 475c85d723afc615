"""Video's repositories in SQL on one kernel unit of work (the use cases' `uow`)."""

from shared.uow import Repositories, UnitOfWork
from video.adapters.grants import SqlAttendance, SqlGrants
from video.adapters.projection import SqlSessionViews


class SqlVideoUnitOfWork(Repositories):
    """`VideoUnitOfWork` in SQL: every repository shares the kernel unit of work's transaction."""

    def __init__(self, uow: UnitOfWork) -> None:
        super().__init__(uow)
        self.sessions = SqlSessionViews(uow.connection)
        self.grants = SqlGrants(uow.connection)
        self.attendance = SqlAttendance(uow.connection)
