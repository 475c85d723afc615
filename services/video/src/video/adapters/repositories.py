"""The repositories video's use cases reach their data through: ports, implemented in SQL by
`projection` and `grants` of this package (per unit of work, or batched across requests by
`token_records`) and in memory by the unit tests' fakes."""

from datetime import datetime
from typing import Protocol
from uuid import UUID

from shared.uow import RecordsEvents
from video.domain.attendance import Attendance
from video.domain.grants import TokenGrant
from video.domain.sessions import SessionView


class SessionViews(Protocol):
    async def get(self, session_id: UUID) -> SessionView | None:
        """The live view of a session, or None if video has heard nothing of it."""
        ...


class GrantWriter(Protocol):
    async def add(self, grant: TokenGrant) -> None: ...


class GrantLog(GrantWriter, Protocol):
    async def latest(self, *, channel: str, uid: int) -> TokenGrant | None:
        """Who was last given `uid` in `channel`, or None."""
        ...


class AttendanceLog(Protocol):
    async def add(self, record: Attendance, *, received_at: datetime) -> bool:
        """False if this notice was recorded before (Agora resends until it gets a 200)."""
        ...


class TokenRecords(Protocol):
    """What `issue_token` reads and writes: a session's view, then the grant's audit row."""

    @property
    def sessions(self) -> SessionViews: ...

    @property
    def grants(self) -> GrantWriter: ...


class VideoUnitOfWork(RecordsEvents, Protocol):
    """What a video use case takes as `uow`: its repositories and `record(event)`."""

    @property
    def sessions(self) -> SessionViews: ...

    @property
    def grants(self) -> GrantLog: ...

    @property
    def attendance(self) -> AttendanceLog: ...
