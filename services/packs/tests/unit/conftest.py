"""Fixtures of packs' use-case unit tests: a still clock, the dependencies, the fake uow."""

import pytest

from packs.service_layer.dependencies import Dependencies
from shared.clock import FakeClock

from .builders import NOW, POLICY
from .fakes import FakePacksUnitOfWork


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def deps(clock: FakeClock) -> Dependencies:
    return Dependencies(clock=clock, policy=POLICY)


@pytest.fixture
def uow(clock: FakeClock) -> FakePacksUnitOfWork:
    return FakePacksUnitOfWork(clock=clock)
