"""An admin or the mentor changes how many students the mentor takes."""

from dataclasses import dataclass

from packs.adapters.repositories import PacksUnitOfWork
from packs.domain.seats import open_seats
from packs.service_layer.dependencies import Dependencies
from packs.service_layer.seat_changes import announce_capacity, offer_free_seats
from shared.errors import InvalidInput


@dataclass(frozen=True)
class ChangeCapacity:
    mentor_id: str
    capacity: int


@dataclass(frozen=True)
class CapacityView:
    mentor_id: str
    capacity: int
    live_seats: int
    open_seats: int


async def change_capacity(
    cmd: ChangeCapacity, *, uow: PacksUnitOfWork, deps: Dependencies
) -> CapacityView:
    """Lowering below the live seats is allowed: it frees nothing and blocks new holds.
    Raising it offers the new seats to the waitlist first."""
    if cmd.capacity < 0:
        raise InvalidInput("capacity must not be negative")
    await uow.capacity.lock(cmd.mentor_id, default=deps.policy.default_capacity)
    await uow.capacity.set(cmd.mentor_id, capacity=cmd.capacity, now=deps.clock.now())
    await offer_free_seats(uow=uow, deps=deps, mentor_id=cmd.mentor_id, capacity=cmd.capacity)
    await announce_capacity(uow=uow, deps=deps, mentor_id=cmd.mentor_id, capacity=cmd.capacity)
    live = await uow.capacity.live_seats(cmd.mentor_id)
    return CapacityView(
        cmd.mentor_id, cmd.capacity, live, open_seats(capacity=cmd.capacity, live=live)
    )
