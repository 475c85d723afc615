"""A booked session's credit as its student, its mentor or an admin may see it."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from packs.adapters import credit_view
from packs.domain.model import CreditStatus, SettlementOutcome
from shared.db import DbConnection
from shared.errors import NotFound


@dataclass(frozen=True)
class ReadCredit:
    session_id: UUID
    viewer_id: str
    viewer_is_admin: bool


@dataclass(frozen=True)
class CreditState:
    session_id: UUID
    pack_id: UUID | None
    student_id: str
    mentor_id: str
    status: CreditStatus
    session_starts_at: datetime | None
    reserved_at: datetime | None
    settled_at: datetime | None
    outcome: SettlementOutcome | None


async def read_credit(query: ReadCredit, *, connection: DbConnection) -> CreditState:
    """Others get the same 404 as an unknown session: a session id reveals nothing."""
    row = await credit_view.credit_of_session(connection, query.session_id)
    if row is None or not (
        query.viewer_is_admin or query.viewer_id in (row.student_id, row.mentor_id)
    ):
        raise NotFound(f"no credit for session {query.session_id}")
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
