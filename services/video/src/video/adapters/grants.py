"""Token audit and attendance rows."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from shared.db import AnyRow, DbConnection
from video.adapters.tables import attendance, token_grants
from video.domain.access import Participant
from video.domain.attendance import Attendance


async def add_grant(
    connection: DbConnection,
    *,
    session_id: UUID,
    user_id: str,
    participant: Participant,
    uid: int,
    channel: str,
    issued_at: datetime,
    expires_at: datetime,
) -> None:
    await connection.execute(
        insert(token_grants).values(
            session_id=session_id,
            user_id=user_id,
            participant=participant,
            uid=uid,
            channel=channel,
            issued_at=issued_at,
            expires_at=expires_at,
        )
    )


async def grant_for(connection: DbConnection, *, channel: str, uid: int) -> AnyRow | None:
    """Who was given `uid` in `channel` (the latest grant), or None."""
    return (
        await connection.execute(
            select(token_grants.c.session_id, token_grants.c.user_id, token_grants.c.participant)
            .where(token_grants.c.channel == channel, token_grants.c.uid == uid)
            .order_by(token_grants.c.id.desc())
            .limit(1)
        )
    ).first()


async def add_attendance(
    connection: DbConnection, record: Attendance, *, received_at: datetime
) -> bool:
    """False if this notice was recorded before (Agora resends until it gets a 200)."""
    inserted = await connection.execute(
        insert(attendance)
        .values(
            notice_id=record.notice_id,
            session_id=record.session_id,
            user_id=record.user_id,
            participant=record.participant,
            uid=record.uid,
            action=record.action,
            at=record.at,
            received_at=received_at,
        )
        .on_conflict_do_nothing(index_elements=["notice_id"])
        .returning(attendance.c.notice_id)
    )
    return inserted.first() is not None
