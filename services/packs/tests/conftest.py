"""Fixtures for packs tests: a fake clock, a live packs service, and a driver for it."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from packs.adapters.tables import packs, seats
from packs.adapters.unit_of_work import SqlPacksUnitOfWork
from packs.config import Settings
from packs.domain.model import SettlementOutcome
from packs.main import ALEMBIC_INI, create_app
from packs.service_layer.consume_credit import ConsumeCredit, consume_credit
from packs.service_layer.fulfil_purchase import fulfil_purchase
from packs.service_layer.hold_seat import HoldSeat, hold_seat
from packs.service_layer.release_credit import ReleaseCredit, release_credit
from packs.service_layer.reserve_credit import ReserveCredit, reserve_credit
from shared.clock import FakeClock
from shared.messaging.events import Envelope, Event, PaymentSucceeded
from shared.testing.events import a_purchase, publish_raw
from shared.testing.rows import recorded_events, scalar, table_rows

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


class PacksDriver:
    """Drives one running packs service: use cases in their own transactions, events, reads."""

    def __init__(self, service, clock: FakeClock, nats_url: str, namespace: str) -> None:
        self.service = service
        self.client = service.client
        self.runtime = service.runtime
        self.deps = service.app.state.deps
        self.clock = clock
        self.nats_url = nats_url
        self.namespace = namespace

    async def run(self, use_case, *args, **kwargs) -> Any:
        """Run a use case on packs' repositories in one unit of work and commit it, as an entry
        point does."""
        async with self.runtime.uow() as uow:
            result = await use_case(*args, uow=SqlPacksUnitOfWork(uow), deps=self.deps, **kwargs)
            await uow.commit()
        return result

    # ---- commands -----------------------------------------------------------------------

    def purchase(
        self,
        student: str,
        mentor: str,
        *,
        sessions: int = 4,
        days: int = 30,
        order_id: uuid.UUID | None = None,
    ) -> PaymentSucceeded:
        return a_purchase(
            student,
            mentor,
            paid_at=self.clock.now(),
            sessions=sessions,
            days=days,
            order_id=order_id,
        )

    async def buy(self, student: str, mentor: str, **kwargs) -> uuid.UUID | None:
        return await self.run(fulfil_purchase, self.purchase(student, mentor, **kwargs))

    async def hold(self, student: str, mentor: str, order_id: uuid.UUID | None = None):
        return await self.run(hold_seat, HoldSeat(order_id or uuid.uuid4(), student, mentor))

    async def reserve(
        self,
        student: str,
        mentor: str,
        *,
        session_id: uuid.UUID | None = None,
        starts_in: timedelta = timedelta(days=2),
    ):
        command = ReserveCredit(
            session_id or uuid.uuid4(), student, mentor, self.clock.now() + starts_in
        )
        return await self.run(reserve_credit, command)

    async def consume(
        self, session_id: uuid.UUID, outcome: SettlementOutcome = SettlementOutcome.completed
    ) -> bool:
        return await self.run(consume_credit, ConsumeCredit(session_id, outcome))

    async def release(self, session_id: uuid.UUID):
        return await self.run(release_credit, ReleaseCredit(session_id))

    async def book_and_complete(self, student: str, mentor: str) -> uuid.UUID:
        reserved = await self.reserve(student, mentor)
        await self.consume(reserved.session_id)
        return reserved.session_id

    async def publish(
        self,
        event: Event,
        *,
        producer: str = "test",
        msg_id: str | None = None,
        envelope: Envelope | None = None,
    ) -> Envelope:
        """Deliver an event for real over JetStream, as its producer's relay would."""
        envelope = envelope or Envelope.wrap(event, producer=producer)
        await publish_raw(self.nats_url, self.namespace, envelope, msg_id=msg_id)
        return envelope

    async def run_job(self, name: str) -> int | None:
        return await self.runtime.jobs.run_now(name)

    # ---- reads --------------------------------------------------------------------------

    async def recorded(self, event_type: type[Event]) -> list[Event]:
        """Events this service committed to its outbox, oldest first (published or not)."""
        return await recorded_events(self.runtime.connection_factory, event_type)

    async def pack(self, pack_id: uuid.UUID):
        async with self.runtime.connection_factory() as connection:
            return (await connection.execute(select(packs).where(packs.c.id == pack_id))).one()

    async def seats_of(self, student: str, mentor: str) -> list:
        """The pair's seats, oldest first."""
        async with self.runtime.connection_factory() as connection:
            rows = await connection.execute(
                select(seats)
                .where(seats.c.student_id == student, seats.c.mentor_id == mentor)
                .order_by(seats.c.created_at)
            )
            return list(rows)

    async def seat(self, student: str, mentor: str):
        """The pair's latest seat."""
        return (await self.seats_of(student, mentor))[-1]

    async def count(self, sql: str, **params) -> int:
        return await scalar(self.runtime.connection_factory, sql, **params)

    async def snapshot(self) -> dict[str, list]:
        """Every row of the packs tables, to show that a refused request changed nothing."""
        return await table_rows(
            self.runtime.connection_factory,
            ("mentor_capacity", "seats", "seat_holds", "packs", "credits"),
            outbox_columns="id, subject, envelope",
        )


@pytest.fixture
async def start_packs(start_service, clock, nats_url, namespace):
    """`await start_packs(**settings)`: a live packs service (call twice for two replicas)."""

    async def start(*, database_url: str | None = None, **overrides) -> PacksDriver:
        service = await start_service(
            create_app,
            Settings,
            ALEMBIC_INI,
            database_url=database_url,
            app_kwargs={"clock": clock},
            **overrides,
        )
        return PacksDriver(service, clock, nats_url, namespace)

    return start


@pytest.fixture
async def packs_app(start_packs) -> PacksDriver:
    return await start_packs()
