"""Due jobs for seats in grace: one final warning, then release at the end."""

from collections.abc import Sequence

from packs.adapters.repositories import Due, PacksUnitOfWork
from packs.domain.seats import grace_warning_due
from packs.service_layer.dependencies import Dependencies
from packs.service_layer.seat_changes import release_if_due
from shared.messaging.events import SeatGraceExpiring


async def grace_warnings_due(
    *, uow: PacksUnitOfWork, deps: Dependencies, limit: int
) -> Sequence[Due]:
    """Seats entering the final window of their grace, not yet warned (not locked)."""
    now, window = deps.clock.now(), deps.policy.grace_warning
    return await uow.seats.grace_warnings_due(now=now, window=window, limit=limit)


async def warn_grace_expiring(due: Due, *, uow: PacksUnitOfWork, deps: Dependencies) -> bool:
    """`seat.grace_expiring` once per grace period; True if this call warned.

    The seat is claimed with SKIP LOCKED and `grace_warning_sent_at` is stamped in the
    transaction that records the event, so a second run or replica finds nothing to do.
    """
    now = deps.clock.now()
    seat = await uow.seats.claim_grace_warning_due(
        due.id, now=now, window=deps.policy.grace_warning
    )
    if seat is None or seat.grace_ends_at is None:
        return False
    if not grace_warning_due(seat, now=now, policy=deps.policy):
        return False
    await uow.seats.mark_warned(seat.id, now=now)
    uow.record(
        SeatGraceExpiring(
            seat_id=seat.id,
            student_id=seat.student_id,
            mentor_id=seat.mentor_id,
            grace_ends_at=seat.grace_ends_at,
        ),
    )
    return True


async def graces_over(*, uow: PacksUnitOfWork, deps: Dependencies, limit: int) -> Sequence[Due]:
    """Seats whose grace ended (not locked: `release_after_grace` claims each)."""
    return await uow.seats.graces_over(now=deps.clock.now(), limit=limit)


async def release_after_grace(due: Due, *, uow: PacksUnitOfWork, deps: Dependencies) -> bool:
    """True if the seat was released: its grace is over and no renewal came."""
    capacity = await uow.capacity.lock(due.mentor_id, default=deps.policy.default_capacity)
    seat = await uow.seats.claim_grace_over(due.id, now=deps.clock.now())
    if seat is None:
        return False
    seat_packs = await uow.packs.of_seat(seat.id)
    return await release_if_due(uow=uow, deps=deps, seat=seat, packs=seat_packs, capacity=capacity)
