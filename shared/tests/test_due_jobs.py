"""The one due-job loop (`shared.jobs`: `step_each_due`, `act_on_each_due`), no servers."""

from datetime import UTC, datetime

from shared.jobs import act_on_each_due, in_one_unit, step_each_due
from shared.messaging.events import MentorCapacityChanged
from shared.testing.fakes import FakeUnitOfWork


class Units:
    """Hands out fresh fake units of work and keeps them, to look at afterwards."""

    def __init__(self) -> None:
        self.opened: list[FakeUnitOfWork] = []

    def __call__(self) -> FakeUnitOfWork:
        self.opened.append(FakeUnitOfWork())
        return self.opened[-1]


def announce(mentor_id: str, uow: FakeUnitOfWork) -> None:
    uow.record(MentorCapacityChanged(mentor_id=mentor_id, capacity=1, live_seats=0, open_seats=1))


async def test_each_due_row_is_stepped_in_its_own_unit_of_work_and_the_changed_ones_counted():
    units = Units()
    due = ["m1", "m2", "m3"]

    async def step(mentor_id: str, uow: FakeUnitOfWork) -> bool:
        if mentor_id == "m2":
            return False  # another replica got there first
        announce(mentor_id, uow)
        return True

    handled = await step_each_due(units, find=lambda uow: _found(due), step=step, batch_size=10)

    assert handled == 2
    stepped = units.opened[1:]  # the first one only found the rows
    assert [len(uow.published) for uow in stepped] == [1, 0, 1]
    assert all(uow.commits == 1 for uow in stepped)


async def test_a_row_that_fails_is_rolled_back_and_the_others_go_on():
    units = Units()

    async def step(mentor_id: str, uow: FakeUnitOfWork) -> bool:
        announce(mentor_id, uow)
        if mentor_id == "m1":
            raise RuntimeError("the provider is down")
        return True

    handled = await step_each_due(
        units, find=lambda uow: _found(["m1", "m2"]), step=step, batch_size=10
    )

    failed, went_on = units.opened[1:]
    assert handled == 1
    assert (failed.published, failed.commits, failed.rollbacks) == ([], 0, 1)
    assert went_on.events() == [
        MentorCapacityChanged(mentor_id="m2", capacity=1, live_seats=0, open_seats=1)
    ]


async def test_full_batches_repeat_until_one_changes_nothing_so_a_stuck_row_cannot_loop():
    units = Units()
    backlog = [f"m{n}" for n in range(5)]

    async def find(uow: FakeUnitOfWork) -> list[str]:
        return backlog[:2] or ["stuck", "stuck"]

    async def step(mentor_id: str, uow: FakeUnitOfWork) -> bool:
        if mentor_id == "stuck":
            return False
        backlog.remove(mentor_id)
        return True

    assert await step_each_due(units, find=find, step=step, batch_size=2) == 5
    assert backlog == []


async def test_a_one_statement_job_commits_its_unit_of_work():
    units = Units()

    async def work(uow: FakeUnitOfWork) -> int:
        announce("m1", uow)
        return 3

    assert await in_one_unit(units, work) == 3
    assert units.opened[0].commits == 1
    assert units.opened[0].published[0].occurred_at <= datetime.now(UTC)


async def _found(rows: list[str]) -> list[str]:
    return rows


async def test_a_self_committing_step_acts_outside_the_finding_unit_and_a_failure_spares_the_rest():
    units = Units()
    acted: list[tuple[str, int]] = []

    async def act(order_id: str) -> bool:
        acted.append((order_id, len(units.opened)))  # no unit opened for it by the loop
        if order_id == "o1":
            raise RuntimeError("the provider is down")
        return order_id != "o2"  # o2: another replica claimed it first

    handled = await act_on_each_due(
        units, find=lambda uow: _found(["o1", "o2", "o3"]), act=act, batch_size=10
    )

    assert handled == 1
    assert acted == [("o1", 1), ("o2", 1), ("o3", 1)]
    assert len(units.opened) == 1  # the loop's own unit only found the rows
