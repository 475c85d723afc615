"""The session projection in a table (live or shadow): lock a session's view, save it."""

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import Table, any_, bindparam, select, update
from sqlalchemy.dialects.postgresql import insert

from shared.db import AnyRow, DbConnection
from video.adapters.tables import sessions
from video.domain.sessions import SessionStatus, SessionView


def _view(row: AnyRow) -> SessionView:
    return SessionView(
        session_id=row.session_id,
        mentor_id=row.mentor_id,
        student_id=row.student_id,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        times_at=row.times_at,
        status=SessionStatus(row.status) if row.status is not None else None,
        status_at=row.status_at,
    )


async def lock_view(
    connection: DbConnection, table: Table, *, session_id: UUID, mentor_id: str, student_id: str
) -> SessionView:
    """The session's view under a row lock; an empty one if this is its first fact."""
    await connection.execute(
        insert(table)
        .values(session_id=session_id, mentor_id=mentor_id, student_id=student_id)
        .on_conflict_do_nothing(index_elements=["session_id"])
    )
    row = (
        await connection.execute(
            select(table).where(table.c.session_id == session_id).with_for_update()
        )
    ).one()
    return _view(row)


async def save_view(connection: DbConnection, table: Table, view: SessionView) -> None:
    await connection.execute(
        update(table)
        .where(table.c.session_id == view.session_id)
        .values(
            starts_at=view.starts_at,
            ends_at=view.ends_at,
            times_at=view.times_at,
            status=view.status,
            status_at=view.status_at,
        )
    )


VIEW = select(sessions).where(sessions.c.session_id == bindparam("session_id"))
VIEWS = select(sessions).where(sessions.c.session_id == any_(bindparam("session_ids")))


async def get_view(connection: DbConnection, session_id: UUID) -> SessionView | None:
    """The live view of a session, or None if video has heard nothing of it."""
    row = (await connection.execute(VIEW, {"session_id": session_id})).first()
    return _view(row) if row is not None else None


async def views_of(
    connection: DbConnection, session_ids: Sequence[UUID]
) -> dict[UUID, SessionView]:
    """The live views of these sessions (those video knows), in one statement."""
    rows = await connection.execute(VIEWS, {"session_ids": list(session_ids)})
    return {row.session_id: _view(row) for row in rows}


class SqlSessionViews:
    def __init__(self, connection: DbConnection) -> None:
        self._connection = connection

    async def get(self, session_id: UUID) -> SessionView | None:
        return await get_view(self._connection, session_id)
