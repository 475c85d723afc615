"""Read model of one booked session's credit, for its participants and admins."""

from uuid import UUID

from sqlalchemy import select

from packs.adapters.tables import credits
from shared.db import AnyRow, DbConnection


async def credit_of_session(connection: DbConnection, session_id: UUID) -> AnyRow | None:
    """The credit reserved for the session (or its release tombstone), None if none."""
    query = select(
        credits.c.session_id,
        credits.c.pack_id,
        credits.c.student_id,
        credits.c.mentor_id,
        credits.c.status,
        credits.c.session_starts_at,
        credits.c.reserved_at,
        credits.c.settled_at,
        credits.c.outcome,
    ).where(credits.c.session_id == session_id)
    return (await connection.execute(query)).first()
