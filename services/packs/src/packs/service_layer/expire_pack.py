"""Due job: a pack past its validity expires; its seat goes once nothing holds it."""

from collections.abc import Sequence

from packs.adapters.repositories import Due, PacksUnitOfWork
from packs.domain.model import PackStatus
from packs.service_layer.dependencies import Dependencies
from packs.service_layer.seat_changes import release_if_due
from shared.messaging.events import PackExpired


async def packs_expiring(*, uow: PacksUnitOfWork, deps: Dependencies, limit: int) -> Sequence[Due]:
    """Active packs past their expiry (not locked: `expire_pack` claims each)."""
    return await uow.packs.expiring(now=deps.clock.now(), limit=limit)


async def expire_pack(due: Due, *, uow: PacksUnitOfWork, deps: Dependencies) -> bool:
    """True if this call expired the pack.

    Sessions already booked on it still happen: the seat stays while any credit of the seat
    is reserved, and is released when the last of them settles (see consume/release).
    """
    now = deps.clock.now()
    capacity = await uow.capacity.lock(due.mentor_id, default=deps.policy.default_capacity)
    pack = await uow.packs.claim_expiring(due.id, now=now)
    if pack is None:
        return False
    await uow.packs.mark_expired(pack.id, now=now)
    uow.record(
        PackExpired(
            pack_id=pack.id,
            student_id=pack.student_id,
            mentor_id=pack.mentor_id,
            expired_at=now,
            unused_credits=pack.remaining,
        ),
    )
    pack.status = PackStatus.expired
    seat = await uow.seats.lock(pack.seat_id)
    if seat.is_live:
        seat_packs = await uow.packs.of_seat(seat.id)
        await release_if_due(uow=uow, deps=deps, seat=seat, packs=seat_packs, capacity=capacity)
    return True
