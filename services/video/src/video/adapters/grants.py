"""Token audit and attendance rows, on one connection; statements built once."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam, select, text
from sqlalchemy.dialects.postgresql import insert

from shared.db import AnyRow, DbConnection
from video.adapters.tables import attendance, token_grants
from video.domain.access import Participant
from video.domain.attendance import Attendance
from video.domain.grants import TokenGrant

# Many grants in one statement (a batch of concurrent requests), inserted in their order.
ADD_GRANTS = text(
    """
    INSERT INTO token_grants
        (session_id, user_id, participant, uid, channel, issued_at, expires_at)
    SELECT session_id, user_id, participant, uid, channel, issued_at, expires_at
    FROM unnest(
        CAST(:session_ids AS uuid[]), CAST(:user_ids AS text[]), CAST(:participants AS text[]),
        CAST(:uids AS bigint[]), CAST(:channels AS text[]),
        CAST(:issued_ats AS timestamptz[]), CAST(:expires_ats AS timestamptz[])
    ) WITH ORDINALITY
        AS g(session_id, user_id, participant, uid, channel, issued_at, expires_at, n)
    ORDER BY n
    """
)

LATEST_GRANT = (
    select(token_grants)
    .where(token_grants.c.channel == bindparam("channel"), token_grants.c.uid == bindparam("uid"))
    .order_by(token_grants.c.id.desc())
    .limit(1)
)

ADD_ATTENDANCE = (
    insert(attendance)
    .values({name: bindparam(name) for name in attendance.c.keys()})
    .on_conflict_do_nothing(index_elements=["notice_id"])
    .returning(attendance.c.notice_id)
)


async def add_grants(connection: DbConnection, grants: Sequence[TokenGrant]) -> None:
    """Insert the grants in one statement, in their order."""
    await connection.execute(
        ADD_GRANTS,
        {
            "session_ids": [grant.session_id for grant in grants],
            "user_ids": [grant.user_id for grant in grants],
            "participants": [grant.participant.value for grant in grants],
            "uids": [grant.uid for grant in grants],
            "channels": [grant.channel for grant in grants],
            "issued_ats": [grant.issued_at for grant in grants],
            "expires_ats": [grant.expires_at for grant in grants],
        },
    )


def to_grant(row: AnyRow) -> TokenGrant:
    return TokenGrant(
        session_id=row.session_id,
        user_id=row.user_id,
        participant=Participant(row.participant),
        uid=row.uid,
        channel=row.channel,
        issued_at=row.issued_at,
        expires_at=row.expires_at,
    )


class SqlGrants:
    def __init__(self, connection: DbConnection) -> None:
        self._connection = connection

    async def add(self, grant: TokenGrant) -> None:
        await add_grants(self._connection, [grant])

    async def latest(self, *, channel: str, uid: int) -> TokenGrant | None:
        result = await self._connection.execute(LATEST_GRANT, {"channel": channel, "uid": uid})
        row = result.first()
        return to_grant(row) if row is not None else None


class SqlAttendance:
    def __init__(self, connection: DbConnection) -> None:
        self._connection = connection

    async def add(self, record: Attendance, *, received_at: datetime) -> bool:
        inserted = await self._connection.execute(
            ADD_ATTENDANCE,
            {
                "notice_id": record.notice_id,
                "session_id": record.session_id,
                "user_id": record.user_id,
                "participant": record.participant.value,
                "uid": record.uid,
                "action": record.action.value,
                "at": record.at,
                "received_at": received_at,
            },
        )
        return inserted.first() is not None
