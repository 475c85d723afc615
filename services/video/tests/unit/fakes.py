"""Video's repositories in memory, on the kernel's fake unit of work: use cases without Postgres.

They answer as the SQL ones do (`video.adapters.grants`, `video.adapters.projection`).
"""

from datetime import datetime
from uuid import UUID

from shared.clock import Clock
from shared.testing.fakes import FakeUnitOfWork
from video.domain.attendance import Attendance
from video.domain.grants import TokenGrant
from video.domain.sessions import SessionView


class FakeSessionViews:
    def __init__(self) -> None:
        self.rows: dict[UUID, SessionView] = {}

    def add(self, view: SessionView) -> SessionView:
        self.rows[view.session_id] = view
        return view

    async def get(self, session_id: UUID) -> SessionView | None:
        return self.rows.get(session_id)


class FakeGrants:
    def __init__(self) -> None:
        self.rows: list[TokenGrant] = []

    async def add(self, grant: TokenGrant) -> None:
        self.rows.append(grant)

    async def latest(self, *, channel: str, uid: int) -> TokenGrant | None:
        found = [g for g in self.rows if g.channel == channel and g.uid == uid]
        return found[-1] if found else None


class FakeAttendance:
    def __init__(self) -> None:
        self.rows: dict[str, tuple[Attendance, datetime]] = {}

    async def add(self, record: Attendance, *, received_at: datetime) -> bool:
        if record.notice_id in self.rows:
            return False
        self.rows[record.notice_id] = (record, received_at)
        return True


class FakeVideoUnitOfWork(FakeUnitOfWork):
    """`VideoUnitOfWork` in memory; also the token route's `TokenRecords`."""

    def __init__(self, *, clock: Clock | None = None) -> None:
        super().__init__(producer="video", clock=clock)
        self.sessions = FakeSessionViews()
        self.grants = FakeGrants()
        self.attendance = FakeAttendance()
