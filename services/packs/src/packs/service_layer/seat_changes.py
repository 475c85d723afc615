"""Steps several use cases share: announcing open seats, releasing a seat, offering freed
seats to the mentor's waitlist.

Callers hold the mentor's capacity lock (`uow.capacity.lock`), so the counts
announced are the ones this transaction commits.
"""

from typing import Literal

from packs.adapters.repositories import PacksUnitOfWork
from packs.domain.model import Pack, ReleaseReason, Seat, SeatStatus, WaitlistStatus
from packs.domain.seats import open_seats, release_reason
from packs.service_layer.dependencies import Dependencies
from shared.messaging.events import MentorCapacityChanged, SeatReleased, WaitlistSeatOffered

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
    """Free the seat and offer it to the first in line; a seat that was only a checkout hold
    (or a waitlist offer, which then lapses) is not announced as released."""
    now = deps.clock.now()
    await uow.seats.release(seat.id, reason=reason, now=now)
    if seat.status is SeatStatus.held and (offer := await uow.waitlist.offer_of_seat(seat.id)):
        await uow.waitlist.end(offer.id, status=WaitlistStatus.expired, now=now)
    if reason in ANNOUNCED_REASONS:
        uow.record(
            SeatReleased(
                seat_id=seat.id,
                student_id=seat.student_id,
                mentor_id=seat.mentor_id,
                reason=ANNOUNCED_REASONS[reason],
            ),
        )
    await offer_free_seats(uow=uow, deps=deps, mentor_id=seat.mentor_id, capacity=capacity)
    await announce_capacity(uow=uow, deps=deps, mentor_id=seat.mentor_id, capacity=capacity)


async def offer_free_seats(
    *, uow: PacksUnitOfWork, deps: Dependencies, mentor_id: str, capacity: int
) -> int:
    """Hold each free seat for the next waiting student, first come first served; how many.

    An offer is a held seat until `policy.offer` from now: it counts as live, so no other
    checkout takes it, and the offered student's own checkout shares it (`decide_hold`). The
    caller holds the mentor's capacity lock: the count below is the one it commits, so a freed
    seat is offered once, however many releases and joins run at the same time.
    """
    now = deps.clock.now()
    expires_at = now + deps.policy.offer
    free = open_seats(capacity=capacity, live=await uow.capacity.live_seats(mentor_id))
    offered = 0
    while offered < free:
        line = await uow.waitlist.first_waiting(mentor_id, limit=free - offered)
        if not line:
            break
        for entry in line:
            if await uow.seats.live_of(student_id=entry.student_id, mentor_id=mentor_id):
                # Seated some other way since joining: their place is done, not offered.
                await uow.waitlist.end(entry.id, status=WaitlistStatus.accepted, now=now)
                continue
            seat = await uow.seats.add(
                student_id=entry.student_id,
                mentor_id=mentor_id,
                status=SeatStatus.held,
                held_until=expires_at,
                now=now,
            )
            offer_id = await uow.waitlist.offer(
                entry.id, seat_id=seat.id, expires_at=expires_at, now=now
            )
            uow.record(
                WaitlistSeatOffered(
                    offer_id=offer_id,
                    mentor_id=mentor_id,
                    student_id=entry.student_id,
                    expires_at=expires_at,
                )
            )
            offered += 1
    return offered


async def release_if_due(
    *, uow: PacksUnitOfWork, deps: Dependencies, seat: Seat, packs: list[Pack], capacity: int
) -> bool:
    """Release the seat if the rules say so now (grace over, or its packs are gone)."""
    reason = release_reason(seat=seat, packs=packs, now=deps.clock.now())
    if reason is None:
        return False
    await release_seat(uow=uow, deps=deps, seat=seat, reason=reason, capacity=capacity)
    return True
