"""Due job steps for seats in grace: one final warning, then release at the end."""

from uuid import UUID

from packs.adapters import capacity as capacity_repo
from packs.adapters import packs as packs_repo
from packs.adapters import seats as seats_repo
from packs.domain.seats import grace_warning_due
from packs.service_layer.dependencies import Dependencies
from packs.service_layer.seat_changes import release_if_due
from shared.messaging.events import SeatGraceExpiring
from shared.uow import UnitOfWork


async def warn_grace_expiring(*, uow: UnitOfWork, deps: Dependencies, limit: int) -> int:
    """`seat.grace_expiring` once per grace period, for seats entering its final window.

    The seats are claimed with SKIP LOCKED and `grace_warning_sent_at` is stamped in the
    transaction that records the event, so a second run or replica finds nothing to do.
    """
    now = deps.clock.now()
    claimed = await seats_repo.claim_warnable(
        uow.connection, now=now, window=deps.policy.grace_warning, limit=limit
    )
    warned = 0
    for seat in claimed:
        if seat.grace_ends_at is None or not grace_warning_due(seat, now=now, policy=deps.policy):
            continue
        await seats_repo.mark_warned(uow.connection, seat_id=seat.id, now=now)
        uow.record(
            SeatGraceExpiring(
                seat_id=seat.id,
                student_id=seat.student_id,
                mentor_id=seat.mentor_id,
                grace_ends_at=seat.grace_ends_at,
            ),
        )
        warned += 1
    return warned


async def release_after_grace(
    seat_id: UUID, *, mentor_id: str, uow: UnitOfWork, deps: Dependencies
) -> bool:
    """True if the seat was released: its grace is over and no renewal came."""
    capacity = await capacity_repo.lock_capacity(
        uow.connection, mentor_id=mentor_id, default=deps.policy.default_capacity
    )
    due = seats_repo.grace_over(deps.clock.now())
    seat = await seats_repo.claim_seat(uow.connection, seat_id, due=due)
    if seat is None:
        return False
    seat_packs = await packs_repo.packs_of_seat(uow.connection, seat.id)
    return await release_if_due(uow=uow, deps=deps, seat=seat, packs=seat_packs, capacity=capacity)
