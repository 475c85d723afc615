"""A held, missed or late-canceled session consumes its credit — once per session id."""

from dataclasses import dataclass
from uuid import UUID

from packs.adapters.repositories import PacksUnitOfWork
from packs.domain.model import CreditStatus, SettlementOutcome
from packs.domain.renewal import after_consumption
from packs.service_layer.credit_settlement import (
    Settled,
    release_seat_if_packs_gone,
    settle_reserved,
)
from packs.service_layer.dependencies import Dependencies
from shared.logging import get_logger
from shared.messaging.events import PackDepleted, PackRenewalDue, SeatGraceStarted

log = get_logger(__name__)


@dataclass(frozen=True)
class ConsumeCredit:
    session_id: UUID
    outcome: SettlementOutcome  # completed, no_show or late_cancel


async def consume_credit(cmd: ConsumeCredit, *, uow: PacksUnitOfWork, deps: Dependencies) -> bool:
    """True if this call consumed the credit; any later or concurrent call finds it settled."""
    credit = await uow.credits.get(cmd.session_id)
    if credit is None or credit.status is not CreditStatus.reserved:
        if credit is None:
            log.warning("credit.missing_for_session", session_id=str(cmd.session_id))
        return False
    settled = await settle_reserved(
        credit, to=CreditStatus.consumed, outcome=cmd.outcome, uow=uow, deps=deps
    )
    if settled is None:
        return False
    now = deps.clock.now()
    pack = settled.pack
    was_live = pack.is_live(now)
    if pack.consume_one():
        uow.record(
            PackDepleted(pack_id=pack.id, student_id=pack.student_id, mentor_id=pack.mentor_id)
        )
    await uow.packs.save_counts(pack, now=now)
    if was_live:
        await _renewal_step(settled, uow=uow, deps=deps)
    else:
        await release_seat_if_packs_gone(settled, uow=uow, deps=deps)
    return True


async def _renewal_step(settled: Settled, *, uow: PacksUnitOfWork, deps: Dependencies) -> None:
    """Remind at one session left; at none, the seat enters grace (ARCHITECTURE §5)."""
    now = deps.clock.now()
    seat = await uow.seats.lock(settled.pack.seat_id)
    step = after_consumption(packs=settled.packs, seat=seat, now=now, policy=deps.policy)
    if step.grace_ends_at is not None:
        await uow.seats.start_grace(seat.id, ends_at=step.grace_ends_at)
        uow.record(
            SeatGraceStarted(
                seat_id=seat.id,
                student_id=seat.student_id,
                mentor_id=seat.mentor_id,
                grace_ends_at=step.grace_ends_at,
            ),
        )
    if step.remind_with_left is not None:
        uow.record(
            PackRenewalDue(
                student_id=seat.student_id,
                mentor_id=seat.mentor_id,
                remaining=step.remind_with_left,
                grace_ends_at=step.grace_ends_at,
            ),
        )
