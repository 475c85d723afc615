"""Steps several use cases share: announcing open seats, releasing a seat.

Callers hold the mentor's capacity lock (`adapters.capacity.lock_capacity`), so the counts
announced are the ones this transaction commits.
"""

from packs.adapters import capacity as capacity_repo
from packs.adapters import seats as seats_repo
from packs.domain.model import Pack, ReleaseReason, Seat
from packs.domain.seats import open_seats, release_reason
from packs.service_layer.context import Context
from shared.messaging.events import MentorCapacityChanged, SeatReleased
from shared.uow import UnitOfWork


async def announce_capacity(
    *, uow: UnitOfWork, ctx: Context, mentor_id: str, capacity: int
) -> None:
    live = await capacity_repo.count_live_seats(uow.session, mentor_id=mentor_id)
    ctx.record(
        uow,
        MentorCapacityChanged(
            mentor_id=mentor_id,
            capacity=capacity,
            live_seats=live,
            open_seats=open_seats(capacity=capacity, live=live),
        ),
    )


async def release_seat(
    *, uow: UnitOfWork, ctx: Context, seat: Seat, reason: ReleaseReason, capacity: int
) -> None:
    """Free the seat; a seat that was only a checkout hold is not announced as released."""
    await seats_repo.release(uow.session, seat_id=seat.id, reason=reason, now=ctx.clock.now())
    if reason is not ReleaseReason.hold_ended:
        ctx.record(
            uow,
            SeatReleased(
                seat_id=seat.id,
                student_id=seat.student_id,
                mentor_id=seat.mentor_id,
                reason=reason.value,
            ),
        )
    await announce_capacity(uow=uow, ctx=ctx, mentor_id=seat.mentor_id, capacity=capacity)


async def release_if_due(
    *, uow: UnitOfWork, ctx: Context, seat: Seat, packs: list[Pack], capacity: int
) -> bool:
    """Release the seat if the rules say so now (grace over, or its packs are gone)."""
    reason = release_reason(seat=seat, packs=packs, now=ctx.clock.now())
    if reason is None:
        return False
    await release_seat(uow=uow, ctx=ctx, seat=seat, reason=reason, capacity=capacity)
    return True
