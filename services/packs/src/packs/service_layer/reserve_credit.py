"""Reserve one credit for a session being booked (`packs.credit.reserve`)."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from packs.adapters import credits as credits_repo
from packs.adapters import packs as packs_repo
from packs.adapters import seats as seats_repo
from packs.domain.eligibility import bookable_remaining, choose_pack
from packs.domain.errors import CreditReleased, SessionIdConflict
from packs.domain.model import Credit, CreditStatus, Pack
from packs.service_layer.context import Context
from shared.uow import UnitOfWork


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


async def reserve_credit(cmd: ReserveCredit, *, uow: UnitOfWork, ctx: Context) -> CreditReserved:
    """Draw from the pack that expires first and has room; the same session id, same answer.

    The student's packs with the mentor are locked first (in expiry order), so concurrent
    reserves for one student take turns and each sees the counts the previous one left.
    """
    session = uow.session
    now = ctx.clock.now()
    packs = await packs_repo.packs_of_pair(
        session, student_id=cmd.student_id, mentor_id=cmd.mentor_id, lock=True
    )
    if (earlier := await credits_repo.get_credit(session, cmd.session_id)) is not None:
        return _same_answer(cmd, earlier, packs, now)
    seat = await seats_repo.live_seat(session, student_id=cmd.student_id, mentor_id=cmd.mentor_id)
    pack = choose_pack(packs=packs, seat=seat, starts_at=cmd.session_starts_at, now=now)
    inserted = await credits_repo.add_reserved(
        session, session_id=cmd.session_id, pack_id=pack.id, student_id=cmd.student_id,
        mentor_id=cmd.mentor_id, starts_at=cmd.session_starts_at, now=now,
    )
    if not inserted:  # a release of this session id committed while we looked
        raise CreditReleased(f"session {cmd.session_id} was released; book with a new id")
    await packs_repo.add_reservation(session, pack.id)
    pack.sessions_reserved += 1
    return CreditReserved(cmd.session_id, pack.id, pack.expires_at, bookable_remaining(packs, now))


def _same_answer(cmd: ReserveCredit, earlier: Credit, packs: list[Pack], now) -> CreditReserved:
    if earlier.status in (CreditStatus.released, CreditStatus.void) or earlier.pack_id is None:
        raise CreditReleased(f"session {cmd.session_id} was {earlier.status}; book with a new id")
    if (earlier.student_id, earlier.mentor_id) != (cmd.student_id, cmd.mentor_id):
        raise SessionIdConflict(f"session {cmd.session_id} belongs to another student or mentor")
    pack = next(p for p in packs if p.id == earlier.pack_id)
    return CreditReserved(cmd.session_id, pack.id, pack.expires_at, bookable_remaining(packs, now))
