"""Read model of one booked session's credit, for its participants and admins."""

from uuid import UUID

from sqlalchemy import select

from packs.adapters.repositories import CreditState
from packs.adapters.tables import credits
from packs.domain.model import CreditStatus, SettlementOutcome
from shared.db import DbConnection


async def credit_of_session(connection: DbConnection, session_id: UUID) -> CreditState | None:
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
    row = (await connection.execute(query)).first()
    if row is None:
        return None
    return CreditState(
        session_id=row.session_id,
        pack_id=row.pack_id,
        student_id=row.student_id,
        mentor_id=row.mentor_id,
        status=CreditStatus(row.status),
        session_starts_at=row.session_starts_at,
        reserved_at=row.reserved_at,
        settled_at=row.settled_at,
        outcome=SettlementOutcome(row.outcome) if row.outcome else None,
    )
