"""Requests packs answers (NATS request–reply); refusals become typed error replies."""

from typing import Literal

from packs.adapters.unit_of_work import SqlPacksUnitOfWork
from packs.domain.model import CreditStatus
from packs.service_layer.check_eligibility import CheckEligibility, check_eligibility
from packs.service_layer.dependencies import Dependencies
from packs.service_layer.hold_seat import HoldSeat, hold_seat
from packs.service_layer.release_credit import ReleaseCredit, release_credit
from packs.service_layer.reserve_credit import ReserveCredit, reserve_credit
from shared.messaging import packs_requests as contract
from shared.runtime import Runtime

RELEASE_STATUSES: dict[CreditStatus, Literal["released", "consumed", "void"]] = {
    CreditStatus.released: "released",
    CreditStatus.consumed: "consumed",
    CreditStatus.void: "void",
}
"""A credit's status after a release call, as the contract spells it (never `reserved`)."""


class PackRequestHandlers:
    """One handler per request subject: parse, run the use case in a unit of work, reply."""

    def __init__(self, runtime: Runtime, *, deps: Dependencies) -> None:
        self._runtime = runtime
        self._deps = deps

    async def hold(self, request: contract.SeatHoldRequest) -> contract.SeatHoldReply:
        command = HoldSeat(
            request.order_id, request.student_id, request.mentor_id, request.hold_until
        )
        async with self._runtime.uow() as uow:
            held = await hold_seat(command, uow=SqlPacksUnitOfWork(uow), deps=self._deps)
            await uow.commit()
        return contract.SeatHoldReply(
            order_id=held.order_id,
            seat_id=held.seat_id,
            outcome=held.outcome.value,
            held_until=held.held_until,
        )

    async def reserve(self, request: contract.CreditReserveRequest) -> contract.CreditReserveReply:
        command = ReserveCredit(
            request.session_id, request.student_id, request.mentor_id, request.session_starts_at
        )
        async with self._runtime.uow() as uow:
            reserved = await reserve_credit(command, uow=SqlPacksUnitOfWork(uow), deps=self._deps)
            await uow.commit()
        return contract.CreditReserveReply(
            session_id=reserved.session_id,
            pack_id=reserved.pack_id,
            pack_expires_at=reserved.pack_expires_at,
            remaining=reserved.remaining,
        )

    async def release(self, request: contract.CreditReleaseRequest) -> contract.CreditReleaseReply:
        async with self._runtime.uow() as uow:
            command = ReleaseCredit(request.session_id)
            status = await release_credit(command, uow=SqlPacksUnitOfWork(uow), deps=self._deps)
            await uow.commit()
        return contract.CreditReleaseReply(
            session_id=request.session_id, status=RELEASE_STATUSES[status]
        )

    async def eligibility(self, request: contract.EligibilityRequest) -> contract.EligibilityReply:
        query = CheckEligibility(request.student_id, request.mentor_id, request.session_starts_at)
        async with self._runtime.uow() as uow:
            found = await check_eligibility(query, uow=SqlPacksUnitOfWork(uow), deps=self._deps)
        return contract.EligibilityReply(
            eligible=found.eligible,
            code=None if found.code is None else found.code.value,
            remaining=found.remaining,
            pack_id=found.pack_id,
            expires_at=found.expires_at,
        )


def register(runtime: Runtime, *, deps: Dependencies) -> PackRequestHandlers:
    responders = PackRequestHandlers(runtime, deps=deps)
    serve = runtime.bus.responder
    serve(contract.SEAT_HOLD, contract.SeatHoldRequest)(responders.hold)
    serve(contract.CREDIT_RESERVE, contract.CreditReserveRequest)(responders.reserve)
    serve(contract.CREDIT_RELEASE, contract.CreditReleaseRequest)(responders.release)
    serve(contract.ELIGIBILITY_GET, contract.EligibilityRequest)(responders.eligibility)
    return responders
