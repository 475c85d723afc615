"""Fixtures for booking tests: a fake clock, a live booking service, packs on NATS, a driver."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from booking.config import Settings
from booking.main import ALEMBIC_INI, create_app
from shared.clock import FakeClock
from shared.messaging.events import Event
from shared.testing.plugin import auth_headers
from shared.testing.rows import recorded_events, scalar, table_rows

from .integration.fakes import FakePacks

# Monday 2026-03-02 09:00 UTC (10:00 in Berlin).
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MENTOR = "mentor-1"
WORKDAY = [{"start": "09:00", "end": "17:00"}]
PROFILE = {
    "display_name": "Ada Lovelace",
    "title": "Staff Engineer",
    "timezone": "Europe/Berlin",
    "weekly_hours": {day: WORKDAY for day in ("mon", "tue", "wed", "thu", "fri")},
}


def berlin(text: str) -> datetime:
    """A Berlin wall time in March 2026 (CET, UTC+1) as a UTC instant."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC) - timedelta(hours=1)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


class BookingDriver:
    """Drives one running booking service over HTTP, with packs answering on NATS."""

    def __init__(self, service, clock: FakeClock, packs: FakePacks) -> None:
        self.service = service
        self.client = service.client
        self.runtime = service.runtime
        self.clock = clock
        self.packs = packs

    @staticmethod
    def as_user(user_id: str, role: str) -> dict[str, str]:
        return auth_headers(user_id, role)

    async def publish_profile(self, mentor: str = MENTOR, **changes) -> Any:
        response = await self.client.put(
            "/v1/mentors/me", json={**PROFILE, **changes}, headers=auth_headers(mentor, "mentor")
        )
        assert response.status_code == 200, response.text
        return response.json()

    async def book(
        self,
        student: str,
        starts_at: datetime,
        *,
        mentor: str = MENTOR,
        key: str | None = None,
        topic: str = "Preparing for a system design interview",
        duration: int = 60,
    ):
        return await self.client.post(
            "/v1/sessions",
            json={
                "mentor_id": mentor,
                "starts_at": starts_at.isoformat(),
                "duration_minutes": duration,
                "topic": topic,
            },
            headers={
                **auth_headers(student, "student"),
                "Idempotency-Key": key or uuid.uuid4().hex,
            },
        )

    async def booked(self, student: str, starts_at: datetime, **kwargs) -> dict:
        response = await self.book(student, starts_at, **kwargs)
        assert response.status_code == 201, response.text
        return response.json()

    async def availability(self, *, start: datetime, days: int = 7, duration: int = 60, **params):
        return await self.client.get(
            f"/v1/mentors/{params.pop('mentor', MENTOR)}/availability",
            params={
                "from": start.isoformat(),
                "to": (start + timedelta(days=days)).isoformat(),
                "duration": duration,
                **params,
            },
        )

    async def slots(self, *, start: datetime, days: int = 7, **params) -> list[datetime]:
        response = await self.availability(start=start, days=days, **params)
        assert response.status_code == 200, response.text
        return [datetime.fromisoformat(s["starts_at"]) for s in response.json()["slots"]]

    async def run_job(self, name: str) -> int | None:
        return await self.runtime.jobs.run_now(name)

    async def recorded(self, event_type: type[Event]) -> list[Event]:
        """Events booking committed to its outbox, oldest first."""
        return await recorded_events(self.runtime.connection_factory, event_type)

    async def count(self, sql: str, **params) -> int:
        return await scalar(self.runtime.connection_factory, sql, **params)

    async def snapshot(self) -> dict[str, list]:
        """Every row of booking's tables, to show that a refused request changed nothing."""
        return await table_rows(
            self.runtime.connection_factory,
            (
                "mentors",
                "sessions",
                "slot_holds",
                "session_reminders",
                "reviews",
                "credit_releases",
            ),
        )


@pytest.fixture
async def fake_packs(nats_url, namespace, clock):
    packs = await FakePacks(nats_url, namespace, clock).start()
    yield packs
    await packs.stop()


@pytest.fixture
async def booking(event_probe, start_service, clock):
    # The probe must declare the stream first: `ensure_stream` refuses the one FastStream made.
    return await start_service(create_app, Settings, ALEMBIC_INI, app_kwargs={"clock": clock})


@pytest.fixture
async def driver(booking, clock, fake_packs) -> BookingDriver:
    return BookingDriver(booking, clock, fake_packs)
