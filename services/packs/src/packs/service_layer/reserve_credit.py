"""Reserve one credit for a session being booked (`packs.credit.reserve`)."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from packs.adapters.repositories import PacksUnitOfWork
from packs.domain.eligibility import bookable_remaining, choose_pack
from packs.domain.errors import CreditReleased, SessionIdConflict
from packs.domain.model import Credit, CreditStatus, Pack
from packs.service_layer.dependencies import Dependencies


@dataclass(frozen=True)
class ReserveCredit:
    session_id: UUID
    student_id: str
    mentor_id: str
    session_starts_at: datetime


@dataclass(frozen=True)
class CreditReserved:
    session_id: UUID
    pack_id: UUID
    pack_expires_at: datetime
    remaining: int


async def reserve_credit(
    cmd: ReserveCredit, *, uow: PacksUnitOfWork, deps: Dependencies
) -> CreditReserved:
    """Draw from the pack that expires first and has room; the same session id, same answer.

    The student's packs with the mentor are locked first (in expiry order), so concurrent
    reserves for one student take turns and each sees the counts the previous one left.
    """
    now = deps.clock.now()
    pair = await uow.credits.lock_pair(
        student_id=cmd.student_id,
        mentor_id=cmd.mentor_id,
        session_id=cmd.session_id,
    )
    if pair.credit is not None:
        return _same_answer(cmd, pair.credit, pair.packs, now)
    pack = choose_pack(packs=pair.packs, seat=pair.seat, starts_at=cmd.session_starts_at, now=now)
    reserved = await uow.credits.reserve(
        session_id=cmd.session_id,
        pack_id=pack.id,
        student_id=cmd.student_id,
        mentor_id=cmd.mentor_id,
        starts_at=cmd.session_starts_at,
        now=now,
    )
    if not reserved:
        # The session id got a credit while we waited for the pack locks (our read of it
        # predates that commit): answer from the credit as it is now.
        credit = await uow.credits.get(cmd.session_id)
        return _same_answer(cmd, credit, pair.packs, now)
    pack.reserve_one()
    return CreditReserved(
        cmd.session_id, pack.id, pack.expires_at, bookable_remaining(pair.packs, now)
    )


def _same_answer(
    cmd: ReserveCredit, earlier: Credit | None, packs: list[Pack], now: datetime
) -> CreditReserved:
    """A session id already reserved answers as before; a released one never reserves again."""
    if earlier is None or earlier.status in (CreditStatus.released, CreditStatus.void):
        raise CreditReleased(f"session {cmd.session_id} was released; book with a new id")
    if (earlier.student_id, earlier.mentor_id) != (cmd.student_id, cmd.mentor_id):
        raise SessionIdConflict(f"session {cmd.session_id} belongs to another student or mentor")
    pack = next(p for p in packs if p.id == earlier.pack_id)
    return CreditReserved(cmd.session_id, pack.id, pack.expires_at, bookable_remaining(packs, now))
