"""HTTP: the credit of one booked session."""

from uuid import UUID

from fastapi import APIRouter

from packs.adapters.unit_of_work import SqlPacksUnitOfWork
from packs.domain.model import CreditStatus
from packs.entrypoints.credit_schemas import CreditRead
from packs.service_layer.read_credit import ReadCredit, read_credit
from shared.http.deps import CurrentUser, Uow

router = APIRouter(prefix="/v1", tags=["packs"])


@router.get(
    "/sessions/{session_id}/credit",
    response_model=CreditRead,
    responses={404: {"description": "NOT_FOUND: no credit for this session, or not yours"}},
)
async def session_credit(session_id: UUID, user: CurrentUser, uow: Uow) -> CreditRead:
    """The credit reserved for a booked session, for its student, its mentor or an admin."""
    query = ReadCredit(session_id, viewer_id=user.id, viewer_is_admin=user.is_admin)
    credit = await read_credit(query, uow=SqlPacksUnitOfWork(uow))
    consumed = credit.status is CreditStatus.consumed
    return CreditRead(
        session_id=credit.session_id,
        pack_id=credit.pack_id,
        student_id=credit.student_id,
        mentor_id=credit.mentor_id,
        status=credit.status,
        session_starts_at=credit.session_starts_at,
        reserved_at=credit.reserved_at,
        settled_at=credit.settled_at,
        consumed_at=credit.settled_at if consumed else None,
        outcome=credit.outcome,
    )
