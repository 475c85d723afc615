"""Read models for the HTTP API: a session's token grants and attendance."""

from uuid import UUID

from sqlalchemy import select

from shared.db import AnyRow, DbConnection
from video.adapters.tables import attendance, token_grants


async def grants_of(connection: DbConnection, session_id: UUID) -> list[AnyRow]:
    """Every token issued for the session, oldest first."""
    rows = await connection.execute(
        select(
            token_grants.c.user_id,
            token_grants.c.participant,
            token_grants.c.uid,
            token_grants.c.issued_at,
            token_grants.c.expires_at,
        )
        .where(token_grants.c.session_id == session_id)
        .order_by(token_grants.c.id)
    )
    return list(rows.all())


async def attendance_of(connection: DbConnection, session_id: UUID) -> list[AnyRow]:
    """Joins and leaves Agora reported for the session, in the order they happened."""
    rows = await connection.execute(
        select(
            attendance.c.user_id,
            attendance.c.participant,
            attendance.c.uid,
            attendance.c.action,
            attendance.c.at,
        )
        .where(attendance.c.session_id == session_id)
        .order_by(attendance.c.at, attendance.c.notice_id)
    )
    return list(rows.all())
