"""What takes a mentor's time in booking's own tables: live sessions and unexpired holds."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import func, select, union_all

from booking.adapters.sessions import as_range
from booking.adapters.tables import sessions, slot_holds
from booking.domain.availability import Interval
from booking.domain.sessions import SessionStatus
from shared.db import DbConnection


class SqlBusy:
    """`BusyRepository` in SQL."""

    def __init__(self, connection: DbConnection) -> None:
        self._connection = connection

    async def intervals(
        self,
        *,
        mentor_id: str,
        during: Interval,
        now: datetime,
        student_id: str | None = None,
        except_session: UUID | None = None,
    ) -> list[Interval]:
        window = as_range(during)
        taken = select(func.lower(sessions.c.blocked), func.upper(sessions.c.blocked)).where(
            sessions.c.mentor_id == mentor_id,
            sessions.c.status == SessionStatus.scheduled,
            sessions.c.blocked.op("&&")(window),
        )
        if except_session is not None:
            taken = taken.where(sessions.c.session_id != except_session)
        held = select(func.lower(slot_holds.c.blocked), func.upper(slot_holds.c.blocked)).where(
            slot_holds.c.mentor_id == mentor_id,
            slot_holds.c.expires_at > now,
            slot_holds.c.blocked.op("&&")(window),
        )
        if student_id is not None:
            held = held.where(slot_holds.c.student_id != student_id)
        rows = await self._connection.execute(union_all(taken, held))
        return [Interval(start, end) for start, end in rows]
