"""Give a credit back: on-time or mentor cancel, or booking's compensation. Idempotent."""

from dataclasses import dataclass
from uuid import UUID

from packs.adapters.repositories import PacksUnitOfWork
from packs.domain.model import CreditStatus, SettlementOutcome
from packs.service_layer.credit_settlement import release_seat_if_packs_gone, settle_reserved
from packs.service_layer.dependencies import Dependencies


@dataclass(frozen=True)
class ReleaseCredit:
    session_id: UUID
    outcome: SettlementOutcome = SettlementOutcome.released  # or canceled


async def release_credit(
    cmd: ReleaseCredit, *, uow: PacksUnitOfWork, deps: Dependencies
) -> CreditStatus:
    """The credit's status afterwards.

    A session id never reserved gets a released marker, so a reserve that arrives late (its
    reply lost, booking already compensating) cannot take a credit for a session that is gone.
    """
    now = deps.clock.now()
    credit = await uow.credits.get(cmd.session_id)
    if credit is None:
        if await uow.credits.add_tombstone(cmd.session_id, now=now):
            return CreditStatus.released
        # A reserve of this id committed while we inserted: settle the credit it made.
        credit = await uow.credits.get(cmd.session_id)
    if credit is None:
        return CreditStatus.released
    if credit.status is not CreditStatus.reserved:
        return credit.status
    settled = await settle_reserved(
        credit, to=CreditStatus.released, outcome=cmd.outcome, uow=uow, deps=deps
    )
    if settled is None:  # another transaction settled it first: answer what it left
        return (
            credit_after.status
            if (credit_after := await uow.credits.get(cmd.session_id))
            else CreditStatus.released
        )
    pack = settled.pack
    pack.release_one()
    await uow.packs.save_counts(pack, now=now)
    if not pack.is_live(now):
        await release_seat_if_packs_gone(settled, uow=uow, deps=deps)
    return CreditStatus.released
