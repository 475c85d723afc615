"""Fixtures of booking's use-case unit tests: a still clock, the dependencies, the fake uow."""

import pytest

from booking.service_layer.dependencies import Dependencies
from booking.service_layer.ports import NoCalendar
from shared.clock import FakeClock

from .builders import MENTOR, NOW, POLICY, SCHEDULE
from .fakes import FakeBookingUnitOfWork


class NoPacks:
    """The unit tests' use cases never ask packs; one that does fails loudly."""

    def __getattr__(self, name: str):
        raise AssertionError(f"packs.{name} was called in a unit test")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def uow(clock: FakeClock) -> FakeBookingUnitOfWork:
    fake = FakeBookingUnitOfWork(clock=clock)
    fake.mentors.schedules[MENTOR] = SCHEDULE
    return fake


@pytest.fixture
def deps(clock: FakeClock, uow: FakeBookingUnitOfWork) -> Dependencies:
    return Dependencies(
        clock=clock,
        policy=POLICY,
        packs=NoPacks(),  # type: ignore[arg-type]
        calendar=NoCalendar(),
        own_unit=lambda: uow,
        own_reads=lambda: uow,
    )
