"""Rows for packs' use-case unit tests, put straight into the fake repositories."""

import uuid
from datetime import UTC, datetime, timedelta

from packs.adapters.repositories import CreditState
from packs.domain.model import CreditStatus, Hold, HoldStatus, Pack, PackStatus, Seat, SeatStatus
from packs.domain.policy import Policy
from packs.service_layer.dependencies import Dependencies

from .fakes import FakePacksUnitOfWork

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
POLICY = Policy(default_capacity=3)


def a_seat(uow: FakePacksUnitOfWork, status: SeatStatus, **fields) -> Seat:
    seat = Seat(id=uuid.uuid4(), student_id="s1", mentor_id="m1", status=status, **fields)
    return uow.seats.add_row(seat)


def a_pack(
    uow: FakePacksUnitOfWork,
    seat: Seat,
    *,
    expires_in: timedelta,
    reserved=0,
    order_id: uuid.UUID | None = None,
) -> Pack:
    pack = Pack(
        id=uuid.uuid4(),
        seat_id=seat.id,
        student_id=seat.student_id,
        mentor_id=seat.mentor_id,
        status=PackStatus.active,
        sessions_total=4,
        sessions_used=1,
        sessions_reserved=reserved,
        expires_at=NOW + expires_in,
    )
    uow.packs.add_row(pack, order_id=order_id)
    for _ in range(reserved):
        a_credit(uow, pack, status=CreditStatus.reserved)
    return pack


def a_credit(
    uow: FakePacksUnitOfWork,
    pack: Pack,
    *,
    status: CreditStatus,
    session_id: uuid.UUID | None = None,
) -> CreditState:
    """A credit of the pack, as a reserve left it (counted in `sessions_reserved` if reserved)."""
    credit = CreditState(
        session_id=session_id or uuid.uuid4(),
        pack_id=pack.id,
        student_id=pack.student_id,
        mentor_id=pack.mentor_id,
        status=status,
        session_starts_at=NOW + timedelta(days=1),
        reserved_at=NOW,
        settled_at=None,
        outcome=None,
    )
    return uow.credits.add_row(credit)


def a_hold(uow: FakePacksUnitOfWork, seat: Seat, *, held_for=timedelta(minutes=30)) -> Hold:
    hold = Hold(
        order_id=uuid.uuid4(),
        seat_id=seat.id,
        student_id=seat.student_id,
        mentor_id=seat.mentor_id,
        renewal=False,
        status=HoldStatus.pending,
        held_until=NOW + held_for,
    )
    return uow.holds.add_row(hold)


async def run_due_job(find, step, *, uow: FakePacksUnitOfWork, deps: Dependencies) -> int:
    """The due job's two halves, as `shared.jobs.due_job` runs them, committing each step."""
    handled = 0
    async with uow:
        due = await find(uow=uow, deps=deps, limit=100)
    for row in due:
        async with uow:
            handled += await step(row, uow=uow, deps=deps)
            await uow.commit()
    return handled
