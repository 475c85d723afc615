"""Fixtures of notifications' use-case unit tests: a still clock, the dependencies, the fake uow."""

import pytest

from notifications.adapters.templates import Renderer
from notifications.service_layer.dependencies import Dependencies
from shared.clock import FakeClock

from .builders import NOW, POLICY
from .fakes import FakeNotificationsUnitOfWork


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture(scope="session")
def renderer() -> Renderer:
    return Renderer()


@pytest.fixture
def deps(clock: FakeClock, renderer: Renderer) -> Dependencies:
    return Dependencies(clock=clock, renderer=renderer, policy=POLICY, jitter=lambda: 0.0)


@pytest.fixture
def uow(clock: FakeClock) -> FakeNotificationsUnitOfWork:
    return FakeNotificationsUnitOfWork(clock=clock)
