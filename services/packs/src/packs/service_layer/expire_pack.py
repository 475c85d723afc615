"""Due job step: a pack past its validity expires; its seat goes once nothing holds it."""

from uuid import UUID

from packs.adapters import capacity as capacity_repo
from packs.adapters import packs as packs_repo
from packs.adapters import seats as seats_repo
from packs.domain.model import PackStatus
from packs.service_layer.dependencies import Dependencies
from packs.service_layer.seat_changes import release_if_due
from shared.messaging.events import PackExpired
from shared.uow import UnitOfWork


async def expire_pack(
    pack_id: UUID, *, mentor_id: str, uow: UnitOfWork, deps: Dependencies
) -> bool:
    """True if this call expired the pack.

    Sessions already booked on it still happen: the seat stays while any credit of the seat
    is reserved, and is released when the last of them settles (see consume/release).
    """
    now = deps.clock.now()
    capacity = await capacity_repo.lock_capacity(
        uow.connection, mentor_id=mentor_id, default=deps.policy.default_capacity
    )
    pack = await packs_repo.claim_expiring(uow.connection, pack_id=pack_id, now=now)
    if pack is None:
        return False
    await packs_repo.mark_expired(uow.connection, pack_id=pack.id, now=now)
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
    seat = await seats_repo.lock_seat(uow.connection, pack.seat_id)
    if seat.is_live:
        seat_packs = await packs_repo.packs_of_seat(uow.connection, seat.id)
        await release_if_due(uow=uow, deps=deps, seat=seat, packs=seat_packs, capacity=capacity)
    return True
