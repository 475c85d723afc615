"""A booked session's credit as its student, its mentor or an admin may see it."""

from dataclasses import dataclass
from uuid import UUID

from packs.adapters.repositories import CreditState, PacksUnitOfWork
from shared.errors import NotFound


@dataclass(frozen=True)
class ReadCredit:
    session_id: UUID
    viewer_id: str
    viewer_is_admin: bool


async def read_credit(query: ReadCredit, *, uow: PacksUnitOfWork) -> CreditState:
    """Others get the same 404 as an unknown session: a session id reveals nothing."""
    credit = await uow.credits.state(query.session_id)
    if credit is None or not (
        query.viewer_is_admin or query.viewer_id in (credit.student_id, credit.mentor_id)
    ):
        raise NotFound(f"no credit for session {query.session_id}")
    return credit
