"""Booking's side of the packs requests: reserve, release, eligibility (ARCHITECTURE §3.8)."""

from datetime import datetime
from typing import TypeVar
from uuid import UUID

from pydantic import BaseModel

from booking.domain.errors import PacksRefused, PacksUnavailable
from shared.logging import get_logger
from shared.messaging import RemoteError, RequestFailed
from shared.messaging import packs_requests as contract
from shared.messaging.request_client import Requester

log = get_logger(__name__)

Rep = TypeVar("Rep", bound=BaseModel)


class PacksClient:
    """Refusals become `PacksRefused` with the packs code; silence becomes `PacksUnavailable`."""

    def __init__(self, requester: Requester) -> None:
        self._requester = requester

    async def reserve(
        self, *, session_id: UUID, student_id: str, mentor_id: str, starts_at: datetime
    ) -> contract.CreditReserveReply:
        request = contract.CreditReserveRequest(
            session_id=session_id,
            student_id=student_id,
            mentor_id=mentor_id,
            session_starts_at=starts_at,
        )
        return await self._ask(contract.CREDIT_RESERVE, request, contract.CreditReserveReply)

    async def release(self, session_id: UUID) -> str:
        request = contract.CreditReleaseRequest(session_id=session_id)
        reply = await self._ask(contract.CREDIT_RELEASE, request, contract.CreditReleaseReply)
        return str(reply.status)

    async def eligibility(
        self, *, student_id: str, mentor_id: str, starts_at: datetime | None = None
    ) -> contract.EligibilityReply:
        request = contract.EligibilityRequest(
            student_id=student_id, mentor_id=mentor_id, session_starts_at=starts_at
        )
        return await self._ask(contract.ELIGIBILITY_GET, request, contract.EligibilityReply)

    async def _ask(self, subject: str, request: BaseModel, reply_model: type[Rep]) -> Rep:
        try:
            return await self._requester.request(subject, request, reply_model)
        except RemoteError as refusal:
            raise PacksRefused(refusal.detail, code=refusal.code) from refusal
        except RequestFailed as silence:
            raise PacksUnavailable(str(silence), code=silence.code) from silence
