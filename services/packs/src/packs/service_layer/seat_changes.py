"""Steps several use cases share: announcing open seats, releasing a seat.

Callers hold the mentor's capacity lock (`adapters.capacity.lock_capacity`), so the counts
announced are the ones this transaction commits.
"""

from typing import Literal

from packs.adapters import capacity as capacity_repo
from packs.adapters import seats as seats_repo
from packs.domain.model import Pack, ReleaseReason, Seat
from packs.domain.seats import open_seats, release_reason
from packs.service_layer.dependencies import Dependencies
from shared.messaging.events import MentorCapacityChanged, SeatReleased
from shared.uow import UnitOfWork

ANNOUNCED_REASONS: dict[ReleaseReason, Literal["grace_over", "pack_expired", "refunded"]] = {
    ReleaseReason.grace_over: "grace_over",
    ReleaseReason.pack_expired: "pack_expired",
    ReleaseReason.refunded: "refunded",
}
"""`seat.released` reasons; a seat that was only a checkout hold is never announced."""


async def announce_capacity(
    *, uow: UnitOfWork, deps: Dependencies, mentor_id: str, capacity: int
) -> None:
    live = await capacity_repo.count_live_seats(uow.connection, mentor_id=mentor_id)
    uow.record(
        MentorCapacityChanged(
            mentor_id=mentor_id,
            capacity=capacity,
            live_seats=live,
            open_seats=open_seats(capacity=capacity, live=live),
        ),
    )


async def release_seat(
    *, uow: UnitOfWork, deps: Dependencies, seat: Seat, reason: ReleaseReason, capacity: int
) -> None:
    """Free the seat; a seat that was only a checkout hold is not announced as released."""
    await seats_repo.release(uow.connection, seat_id=seat.id, reason=reason, now=deps.clock.now())
    if reason in ANNOUNCED_REASONS:
        uow.record(
            SeatReleased(
                seat_id=seat.id,
                student_id=seat.student_id,
                mentor_id=seat.mentor_id,
                reason=ANNOUNCED_REASONS[reason],
            ),
        )
    await announce_capacity(uow=uow, deps=deps, mentor_id=seat.mentor_id, capacity=capacity)


async def release_if_due(
    *, uow: UnitOfWork, deps: Dependencies, seat: Seat, packs: list[Pack], capacity: int
) -> bool:
    """Release the seat if the rules say so now (grace over, or its packs are gone)."""
    reason = release_reason(seat=seat, packs=packs, now=deps.clock.now())
    if reason is None:
        return False
    await release_seat(uow=uow, deps=deps, seat=seat, reason=reason, capacity=capacity)
    return True
