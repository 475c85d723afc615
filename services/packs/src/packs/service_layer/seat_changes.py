"""Steps several use cases share: announcing open seats, releasing a seat.

Callers hold the mentor's capacity lock (`uow.capacity.lock`), so the counts
announced are the ones this transaction commits.
"""

from typing import Literal

from packs.adapters.repositories import PacksUnitOfWork
from packs.domain.model import Pack, ReleaseReason, Seat
from packs.domain.seats import open_seats, release_reason
from packs.service_layer.dependencies import Dependencies
from shared.messaging.events import MentorCapacityChanged, SeatReleased

ANNOUNCED_REASONS: dict[ReleaseReason, Literal["grace_over", "pack_expired", "refunded"]] = {
    ReleaseReason.grace_over: "grace_over",
    ReleaseReason.pack_expired: "pack_expired",
    ReleaseReason.refunded: "refunded",
}
"""`seat.released` reasons; a seat that was only a checkout hold is never announced."""


def capacity_changed(*, mentor_id: str, capacity: int, live: int) -> MentorCapacityChanged:
    """The one way `mentor.capacity_changed` is built: by this use case and by the snapshot."""
    return MentorCapacityChanged(
        mentor_id=mentor_id,
        capacity=capacity,
        live_seats=live,
        open_seats=open_seats(capacity=capacity, live=live),
    )


async def announce_capacity(
    *,
    uow: PacksUnitOfWork,
    deps: Dependencies,
    mentor_id: str,
    capacity: int,
    live: int | None = None,
) -> None:
    """Record `mentor.capacity_changed` with the live seats this transaction commits.

    `live` is the count the caller already knows under the capacity lock (a count it made
    plus the seat it just added); without it the seats are counted.
    """
    if live is None:
        live = await uow.capacity.live_seats(mentor_id)
    uow.record(capacity_changed(mentor_id=mentor_id, capacity=capacity, live=live))


async def release_seat(
    *, uow: PacksUnitOfWork, deps: Dependencies, seat: Seat, reason: ReleaseReason, capacity: int
) -> None:
    """Free the seat; a seat that was only a checkout hold is not announced as released."""
    await uow.seats.release(seat.id, reason=reason, now=deps.clock.now())
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
    *, uow: PacksUnitOfWork, deps: Dependencies, seat: Seat, packs: list[Pack], capacity: int
) -> bool:
    """Release the seat if the rules say so now (grace over, or its packs are gone)."""
    reason = release_reason(seat=seat, packs=packs, now=deps.clock.now())
    if reason is None:
        return False
    await release_seat(uow=uow, deps=deps, seat=seat, reason=reason, capacity=capacity)
    return True
