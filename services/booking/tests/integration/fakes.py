"""A packs stand-in answering packs' request subjects over real NATS, with a credit ledger.

It serves through the kernel's RequestServer, so booking's requests, timeouts and refusals
travel exactly as against packs; it counts every reserve and release for the assertions.
"""

import asyncio
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import nats

from shared.clock import Clock
from shared.errors import Conflict
from shared.messaging import packs_requests as contract
from shared.messaging.request_server import RequestServer


@dataclass
class Ledger:
    pack_id: uuid.UUID
    credits: int
    expires_at: datetime


@dataclass
class FakePacks:
    nats_url: str
    namespace: str
    clock: Clock
    ledgers: dict[tuple[str, str], Ledger] = field(default_factory=dict)
    reserved: dict[uuid.UUID, tuple[str, str]] = field(default_factory=dict)
    released: set[uuid.UUID] = field(default_factory=set)
    reserve_calls: int = 0
    release_calls: int = 0
    failing_releases: bool = False
    reserve_delay: float = 0.0

    def grant(self, student: str, mentor: str, credits: int = 4, days: int = 60) -> uuid.UUID:
        ledger = Ledger(uuid.uuid4(), credits, self.clock.now() + timedelta(days=days))
        self.ledgers[(student, mentor)] = ledger
        return ledger.pack_id

    def remaining(self, student: str, mentor: str) -> int:
        return self.ledgers[(student, mentor)].credits

    async def start(self) -> "FakePacks":
        self._nc = await nats.connect(self.nats_url)
        self._server = RequestServer(namespace=self.namespace, queue="packs", concurrency=64)
        serve = self._server.register
        serve(contract.CREDIT_RESERVE, contract.CreditReserveRequest)(self._reserve)
        serve(contract.CREDIT_RELEASE, contract.CreditReleaseRequest)(self._release)
        serve(contract.ELIGIBILITY_GET, contract.EligibilityRequest)(self._eligibility)
        await self._server.start(self._nc)
        return self

    async def stop(self) -> None:
        await self._server.stop()
        await self._nc.close()

    async def _reserve(self, request: contract.CreditReserveRequest):
        self.reserve_calls += 1
        await asyncio.sleep(self.reserve_delay)
        pair = (request.student_id, request.mentor_id)
        if request.session_id in self.released:
            raise Conflict("released", code=contract.CREDIT_RELEASED)
        ledger = self.ledgers.get(pair)
        if ledger is None:
            raise Conflict("no pack", code=contract.PACK_NOT_FOUND)
        if request.session_id not in self.reserved:
            if ledger.credits <= 0:
                raise Conflict("none left", code=contract.NO_REMAINING_SESSIONS)
            ledger.credits -= 1
            self.reserved[request.session_id] = pair
        return contract.CreditReserveReply(
            session_id=request.session_id,
            pack_id=ledger.pack_id,
            pack_expires_at=ledger.expires_at,
            remaining=ledger.credits,
        )

    async def _release(self, request: contract.CreditReleaseRequest):
        self.release_calls += 1
        if self.failing_releases:
            raise RuntimeError("packs is having a bad day")
        pair = self.reserved.pop(request.session_id, None)
        if pair is not None:
            self.ledgers[pair].credits += 1
        self.released.add(request.session_id)
        return contract.CreditReleaseReply(session_id=request.session_id, status="released")

    async def _eligibility(self, request: contract.EligibilityRequest):
        ledger = self.ledgers.get((request.student_id, request.mentor_id))
        if ledger is None:
            return contract.EligibilityReply(
                eligible=False, code=contract.PACK_NOT_FOUND, remaining=0
            )
        return contract.EligibilityReply(
            eligible=ledger.credits > 0,
            code=None if ledger.credits > 0 else contract.NO_REMAINING_SESSIONS,
            remaining=ledger.credits,
            pack_id=ledger.pack_id,
            expires_at=ledger.expires_at,
        )
