"""Read-only eligibility (`packs.eligibility.get`): would a booking get a credit now?"""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from packs.adapters.repositories import PacksUnitOfWork
from packs.domain.eligibility import bookable_remaining, judge
from packs.domain.errors import IneligibleCode
from packs.service_layer.dependencies import Dependencies


@dataclass(frozen=True)
class CheckEligibility:
    student_id: str
    mentor_id: str
    session_starts_at: datetime | None = None


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    code: IneligibleCode | None
    remaining: int
    pack_id: UUID | None
    expires_at: datetime | None


async def check_eligibility(
    query: CheckEligibility, *, uow: PacksUnitOfWork, deps: Dependencies
) -> Eligibility:
    now = deps.clock.now()
    packs = await uow.packs.of_pair(student_id=query.student_id, mentor_id=query.mentor_id)
    seat = await uow.seats.live_of(student_id=query.student_id, mentor_id=query.mentor_id)
    verdict = judge(packs=packs, seat=seat, starts_at=query.session_starts_at, now=now)
    latest = max((p.expires_at for p in packs), default=None)
    expires_at = verdict.pack.expires_at if verdict.pack else latest
    return Eligibility(
        eligible=verdict.eligible,
        code=verdict.code,
        remaining=bookable_remaining(packs, now),
        pack_id=verdict.pack.id if verdict.pack else None,
        expires_at=expires_at,
    )
