"""Fixtures of video's use-case unit tests: a still clock, the dependencies, the fake uow."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import MetaData, Table

from shared.clock import FakeClock
from shared.messaging.snapshots import ShadowRebuild
from video.config import Settings
from video.domain.access import JoinPolicy
from video.service_layer.ports import Dependencies

from .fakes import FakeVideoUnitOfWork

NOW = datetime(2026, 3, 2, 10, 5, tzinfo=UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def uow(clock: FakeClock) -> FakeVideoUnitOfWork:
    return FakeVideoUnitOfWork(clock=clock)


def _no_database():
    raise AssertionError("a unit test reached for the database")


@pytest.fixture
def deps(clock: FakeClock, uow: FakeVideoUnitOfWork) -> Dependencies:
    unused = Table("unused", MetaData())
    return Dependencies(
        clock=clock,
        policy=JoinPolicy(),
        agora=Settings(dev_mode=True).agora(),
        rebuild=ShadowRebuild(
            projection="sessions",
            live=unused,
            shadow=unused,
            markers=unused,
            connection_factory=_no_database,
            clock=clock,
        ),
        tokens=uow,
    )
