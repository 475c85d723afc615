"""Hold a seat for a checkout (`packs.seat.hold`), idempotent per order id."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from packs.adapters.repositories import PacksUnitOfWork
from packs.domain.errors import HoldExpired, InvalidHold
from packs.domain.model import Hold, HoldDecision, HoldOutcome, HoldStatus, SeatStatus
from packs.domain.seats import decide_hold, hold_deadline
from packs.service_layer.dependencies import Dependencies
from packs.service_layer.seat_changes import announce_capacity


@dataclass(frozen=True)
class HoldSeat:
    order_id: UUID
    student_id: str
    mentor_id: str
    hold_until: datetime | None = None


@dataclass(frozen=True)
class SeatHeld:
    order_id: UUID
    seat_id: UUID
    outcome: HoldOutcome
    held_until: datetime | None


async def hold_seat(cmd: HoldSeat, *, uow: PacksUnitOfWork, deps: Dependencies) -> SeatHeld:
    """Hold a free seat, share the student's open hold, or answer `renewal`; else refuse."""
    now = deps.clock.now()
    capacity = await uow.capacity.lock(cmd.mentor_id, default=deps.policy.default_capacity)
    if (earlier := await uow.holds.get(cmd.order_id)) is not None:
        return _same_answer(cmd, earlier)
    until = hold_deadline(requested=cmd.hold_until, now=now, policy=deps.policy)
    seat = await uow.seats.live_of(student_id=cmd.student_id, mentor_id=cmd.mentor_id, lock=True)
    live = await uow.capacity.live_seats(cmd.mentor_id)
    plan = decide_hold(live_seat=seat, live_count=live, capacity=capacity, until=until)
    if plan.outcome is HoldDecision.new:
        seat = await uow.seats.add(
            student_id=cmd.student_id,
            mentor_id=cmd.mentor_id,
            status=SeatStatus.held,
            held_until=until,
            now=now,
        )
        # Counted above under the capacity lock, plus the seat just added: no recount.
        await announce_capacity(
            uow=uow, deps=deps, mentor_id=cmd.mentor_id, capacity=capacity, live=live + 1
        )
    assert seat is not None  # shared and renewed holds are of the live seat found above
    if plan.outcome is HoldDecision.share and plan.held_until is not None:
        await uow.seats.extend_hold(seat.id, held_until=plan.held_until)
    renewal = plan.outcome is HoldDecision.renewal
    await uow.holds.add(
        order_id=cmd.order_id,
        seat=seat,
        renewal=renewal,
        held_until=None if renewal else until,
        now=now,
    )
    if renewal:
        return SeatHeld(cmd.order_id, seat.id, HoldOutcome.renewal, None)
    return SeatHeld(cmd.order_id, seat.id, HoldOutcome.held, plan.held_until)


def _same_answer(cmd: HoldSeat, earlier: Hold) -> SeatHeld:
    """A repeated request for an order answers what the first one did."""
    if (earlier.student_id, earlier.mentor_id) != (cmd.student_id, cmd.mentor_id):
        raise InvalidHold(f"order {cmd.order_id} holds a seat for another student or mentor")
    if earlier.status in (HoldStatus.released, HoldStatus.expired):
        raise HoldExpired(f"the hold of order {cmd.order_id} has ended; start a new checkout")
    outcome = HoldOutcome.renewal if earlier.renewal else HoldOutcome.held
    return SeatHeld(cmd.order_id, earlier.seat_id, outcome, earlier.held_until)
