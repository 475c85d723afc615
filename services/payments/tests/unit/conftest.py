"""Fixtures of payments' use-case unit tests: a still clock, the dependencies, the fake uow."""

import pytest

from payments.adapters.paypal_webhooks import PayPalVerifier
from payments.adapters.webhook_queue import WebhookQueue
from payments.config import Settings
from payments.service_layer.dependencies import Dependencies
from shared.clock import FakeClock

from .builders import NOW
from .fakes import FakePaymentsUnitOfWork, FakeWebhookIntake


class NoSeatHolds:
    async def hold(self, **request):
        raise AssertionError("the order outcomes never ask packs")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def deps(clock: FakeClock) -> Dependencies:
    def no_database():
        raise AssertionError("a use case on the fake opened a real unit of work")

    return Dependencies(
        settings=Settings(dev_mode=True),
        clock=clock,
        uow=no_database,
        seat_holds=NoSeatHolds(),
        providers={},
        paypal_verifier=PayPalVerifier(webhook_id=""),
        webhooks=WebhookQueue(enabled=False),
        webhook_intake=FakeWebhookIntake(),
    )


@pytest.fixture
def uow(clock: FakeClock) -> FakePaymentsUnitOfWork:
    return FakePaymentsUnitOfWork(clock=clock)
