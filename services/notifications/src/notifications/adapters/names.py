"""The mentors' public names (a projection of booking's profiles), read and kept newest."""

from datetime import datetime

from sqlalchemy import bindparam, delete, select
from sqlalchemy.dialects.postgresql import insert

from notifications.adapters.tables import mentor_names
from shared.db import DbConnection

NAMES_OF = select(mentor_names.c.mentor_id, mentor_names.c.display_name).where(
    mentor_names.c.mentor_id.in_(bindparam("ids", expanding=True))
)


async def get_many(connection: DbConnection, user_ids: set[str]) -> dict[str, str]:
    """user id -> profile name, for the ids that are mentors with a profile."""
    if not user_ids:
        return {}
    rows = await connection.execute(NAMES_OF, {"ids": list(user_ids)})
    return {row.mentor_id: row.display_name for row in rows}


async def remember(
    connection: DbConnection, *, mentor_id: str, display_name: str, occurred_at: datetime
) -> None:
    """Keep the name of the newest profile event; an older one arriving late changes nothing."""
    statement = insert(mentor_names).values(
        mentor_id=mentor_id, display_name=display_name, occurred_at=occurred_at
    )
    await connection.execute(
        statement.on_conflict_do_update(
            index_elements=["mentor_id"],
            set_={"display_name": display_name, "occurred_at": occurred_at},
            where=mentor_names.c.occurred_at <= statement.excluded.occurred_at,
        )
    )


async def forget(connection: DbConnection, mentor_id: str) -> None:
    await connection.execute(delete(mentor_names).where(mentor_names.c.mentor_id == mentor_id))


class SqlNames:
    """`NameRepository` on one transaction's connection."""

    def __init__(self, connection: DbConnection) -> None:
        self._connection = connection

    async def get_many(self, user_ids: set[str]) -> dict[str, str]:
        return await get_many(self._connection, user_ids)

    async def remember(self, mentor_id: str, *, display_name: str, occurred_at: datetime) -> None:
        await remember(
            self._connection,
            mentor_id=mentor_id,
            display_name=display_name,
            occurred_at=occurred_at,
        )

    async def forget(self, mentor_id: str) -> None:
        await forget(self._connection, mentor_id)
