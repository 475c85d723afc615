"""The part of consuming and releasing a credit that both share: lock, then settle once."""

from dataclasses import dataclass

from packs.adapters.repositories import PacksUnitOfWork
from packs.domain.model import Credit, CreditStatus, Pack, SettlementOutcome
from packs.service_layer.dependencies import Dependencies
from packs.service_layer.seat_changes import release_if_due


@dataclass
class Settled:
    pack: Pack  # the credit's pack, counts not yet updated
    packs: list[Pack]  # all of the student's packs with the mentor, locked
    capacity: int


async def settle_reserved(
    credit: Credit,
    *,
    to: CreditStatus,
    outcome: SettlementOutcome,
    uow: PacksUnitOfWork,
    deps: Dependencies,
) -> Settled | None:
    """Move a reserved credit to `to`; None if another transaction settled it first.

    Takes the capacity lock and the pair's pack locks before the guarded update, in the
    service's lock order, since settling may end in releasing the seat.
    """
    capacity = await uow.capacity.lock(credit.mentor_id, default=deps.policy.default_capacity)
    packs = await uow.packs.of_pair(
        student_id=credit.student_id, mentor_id=credit.mentor_id, lock=True
    )
    pack_id = await uow.credits.settle(
        credit.session_id, to=to, outcome=outcome, now=deps.clock.now()
    )
    if pack_id is None:
        return None
    return Settled(next(p for p in packs if p.id == pack_id), packs, capacity)


async def release_seat_if_packs_gone(
    settled: Settled, *, uow: PacksUnitOfWork, deps: Dependencies
) -> None:
    """After a credit of an expired pack settles: free the seat once nothing holds it."""
    seat = await uow.seats.lock(settled.pack.seat_id)
    if not seat.is_live:
        return
    seat_packs = [p for p in settled.packs if p.seat_id == seat.id]
    await release_if_due(uow=uow, deps=deps, seat=seat, packs=seat_packs, capacity=settled.capacity)
