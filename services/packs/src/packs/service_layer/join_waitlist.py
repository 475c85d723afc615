"""A student joins a full mentor's waitlist, at the end of the line; joining twice is a no-op."""

from dataclasses import dataclass

from packs.adapters.repositories import PacksUnitOfWork
from packs.domain.model import WaitlistEntry
from packs.domain.waitlist import check_join
from packs.service_layer.dependencies import Dependencies


@dataclass(frozen=True)
class JoinWaitlist:
    student_id: str
    mentor_id: str


@dataclass(frozen=True)
class Place:
    entry: WaitlistEntry
    position: int | None  # 1 = the next seat freed is offered to them; None while offered
    created: bool


async def join_waitlist(cmd: JoinWaitlist, *, uow: PacksUnitOfWork, deps: Dependencies) -> Place:
    """The student's place: a new one at the end, or the one they already have.

    Under the mentor's capacity lock, so a seat freed meanwhile is either offered to an entry
    committed before, or seen free here (`SEAT_AVAILABLE`), never lost between the two.
    """
    capacity = await uow.capacity.lock(cmd.mentor_id, default=deps.policy.default_capacity)
    student, mentor = cmd.student_id, cmd.mentor_id
    if (entry := await uow.waitlist.open_of(student_id=student, mentor_id=mentor)) is not None:
        return Place(entry, await uow.waitlist.position(entry), created=False)
    seat = await uow.seats.live_of(student_id=student, mentor_id=mentor)
    check_join(live_seat=seat, capacity=capacity, live=await uow.capacity.live_seats(mentor))
    entry = await uow.waitlist.add(student_id=student, mentor_id=mentor, now=deps.clock.now())
    return Place(entry, await uow.waitlist.position(entry), created=True)
