"""Fixtures for search tests: a live search service and a driver that feeds it facts."""

import uuid
from datetime import UTC, datetime

import nats
import pytest
from sqlalchemy import func, select

from search.config import Settings
from search.domain.stamp import Stamp
from search.main import ALEMBIC_INI, create_app
from search.service_layer.rebuild_directory import rebuild_directory
from search.service_layer.record_facts import record_fact
from shared.clock import FakeClock
from shared.messaging.events import (
    Envelope,
    Event,
    MentorAvailabilityChanged,
    MentorCapacityChanged,
    MentorUpdated,
    ProductUpdated,
    ReviewSubmitted,
)
from shared.messaging.stream import stream_name, subject_for
from shared.messaging.tables import inbox
from shared.testing.events import publish_raw
from shared.testing.plugin import auth_headers

from .integration.fakes import FakeOwners

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ADMIN = auth_headers("ops", "admin")


class Facts:
    """Builders of the events search consumes, with plausible defaults."""

    T0 = T0

    @staticmethod
    def profile(mentor_id: str, **fields) -> MentorUpdated:
        defaults = dict(
            display_name="Ada Lovelace",
            title="Staff Engineer",
            company="Analytical Engines",
            bio="I help engineers grow into staff roles.",
            specialties=["system design"],
            job_family="software_engineering",
            years_experience=14,
            timezone="Europe/London",
            accepting_students=True,
        )
        return MentorUpdated(mentor_id=mentor_id, **{**defaults, **fields})

    @staticmethod
    def review(mentor_id: str, *, average: float, count: int) -> ReviewSubmitted:
        return ReviewSubmitted(
            review_id=uuid.uuid4(),
            session_id=uuid.uuid4(),
            mentor_id=mentor_id,
            student_id="s1",
            rating=5,
            average_rating=average,
            review_count=count,
        )

    @staticmethod
    def product(
        mentor_id: str, *, price: int, active: bool = True, product_id=None, currency="EUR"
    ) -> ProductUpdated:
        return ProductUpdated(
            product_id=product_id or uuid.uuid4(),
            mentor_id=mentor_id,
            title="4 sessions",
            price_amount=price,
            currency=currency,
            sessions_count=4,
            session_minutes=60,
            validity_days=30,
            active=active,
        )

    @staticmethod
    def seats(mentor_id: str, *, open_seats: int, capacity: int = 10) -> MentorCapacityChanged:
        return MentorCapacityChanged(
            mentor_id=mentor_id,
            capacity=capacity,
            live_seats=capacity - open_seats,
            open_seats=open_seats,
        )

    @staticmethod
    def availability(mentor_id: str, *, next_at=None, days=()) -> MentorAvailabilityChanged:
        return MentorAvailabilityChanged(
            mentor_id=mentor_id, next_available_at=next_at, available_days=list(days)
        )


@pytest.fixture(scope="session")
def facts() -> type[Facts]:
    return Facts


class SearchDriver:
    """Drives one running search service: events over NATS or facts applied directly, reads."""

    def __init__(self, service, *, clock: FakeClock, nats_url: str, namespace: str) -> None:
        self.service = service
        self.client = service.client
        self.runtime = service.runtime
        self.deps = service.app.state.deps
        self.clock = clock
        self.nats_url = nats_url
        self.namespace = namespace

    async def publish(self, event: Event, *, at: datetime = T0, msg_id: str | None = None):
        envelope = Envelope.wrap(event, producer="test", occurred_at=at)
        await publish_raw(self.nats_url, self.namespace, envelope, msg_id=msg_id)
        return envelope

    async def redeliver(self, envelope: Envelope, *, tag: str = "again") -> None:
        """The same envelope again, past the stream's dedupe (a producer's sweeper re-send)."""
        await publish_raw(self.nats_url, self.namespace, envelope, msg_id=f"{envelope.id}-{tag}")

    async def apply(self, *events: Event, at: datetime = T0) -> None:
        """Record facts in one transaction as their subscribers would, without the broker."""
        async with self.runtime.uow() as uow:
            for event in events:
                stamp = Stamp(at, uuid.uuid4())
                await record_fact(event, stamp=stamp, uow=uow, deps=self.deps)
            await uow.commit()

    async def publish_all(self, deliveries: list[tuple[Envelope, str]]) -> None:
        """Publish (envelope, Nats-Msg-Id) pairs on one connection, in this order."""
        connection = await nats.connect(self.nats_url)
        try:
            stream = connection.jetstream()
            for envelope, msg_id in deliveries:
                await stream.publish(
                    subject_for(self.namespace, envelope.type),
                    envelope.model_dump_json().encode(),
                    stream=stream_name(self.namespace),
                    headers={"Nats-Msg-Id": msg_id},
                )
        finally:
            await connection.close()

    async def claimed(self) -> int:
        """How many events the inbox has claimed (each once, whatever the deliveries)."""
        async with self.runtime.connection_factory() as connection:
            return await connection.scalar(select(func.count()).select_from(inbox)) or 0

    async def processed(self, envelope: Envelope) -> bool:
        async with self.runtime.connection_factory() as connection:
            found = await connection.execute(inbox.select().where(inbox.c.event_id == envelope.id))
            return found.first() is not None

    async def search(self, **params) -> dict:
        response = await self.client.get("/v1/mentors/search", params=params)
        assert response.status_code == 200, response.text
        return response.json()

    async def ids(self, **params) -> list[str]:
        return [item["mentor_id"] for item in (await self.search(**params))["items"]]

    async def documents(self) -> list[dict]:
        """Every listed mentor's card (highlights aside), by id: the index as users see it."""
        cards, page = [], 1
        while True:
            result = await self.search(per_page=100, page=page, sort="price_asc")
            cards += [{k: v for k, v in c.items() if k != "highlights"} for c in result["items"]]
            if page >= result["pages"]:
                return sorted(cards, key=lambda card: card["mentor_id"])
            page += 1

    admin = ADMIN

    async def rebuild(self) -> dict:
        response = await self.client.post("/v1/admin/rebuilds/directory", headers=ADMIN)
        assert response.status_code == 200, response.text
        return response.json()

    async def rebuild_paged(self, *, page_size: int) -> dict:
        """A rebuild in small snapshot pages, as the use case runs it (no HTTP)."""
        report = await rebuild_directory(
            deps=self.deps,
            requester=self.runtime.bus.requester,
            uow_factory=self.runtime.uow,
            connection_factory=self.runtime.connection_factory,
            page_size=page_size,
        )
        return {"documents": report.documents, "mentors": report.mentors}

    async def found(self, count: int, **params) -> dict | None:
        result = await self.search(**params)
        return result if result["total"] >= count else None


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(T0)


@pytest.fixture
async def search_service(event_probe, start_service, clock):
    # The probe must declare the stream first: `ensure_stream` refuses the one FastStream made.
    return await start_service(create_app, Settings, ALEMBIC_INI, app_kwargs={"clock": clock})


@pytest.fixture
def drive(clock, nats_url, namespace):
    """`drive(service)`: a SearchDriver for a service started in this test."""
    return lambda service: SearchDriver(
        service, clock=clock, nats_url=nats_url, namespace=namespace
    )


@pytest.fixture
def search(search_service, drive) -> SearchDriver:
    return drive(search_service)


@pytest.fixture
async def owners(nats_url, namespace):
    """The owners' snapshots (booking, packs, payments), as a test states them."""
    fake = await FakeOwners(nats_url, namespace).start()
    yield fake
    await fake.stop()
