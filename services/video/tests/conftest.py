"""Fixtures for video tests: a fake clock, a live video service, and a driver for it."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from shared.clock import FakeClock
from shared.messaging.events import (
    Envelope,
    Event,
    SessionBooked,
    SessionCanceled,
    SessionCompleted,
    SessionRescheduled,
)
from shared.testing.events import publish_raw
from shared.testing.helpers import eventually
from shared.testing.plugin import auth_headers
from video.adapters.projection import get_view
from video.config import Settings
from video.domain.sessions import SessionView
from video.main import ALEMBIC_INI, create_app

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


class VideoDriver:
    """Drives one running video service: booking's facts over JetStream, HTTP calls, reads."""

    def __init__(self, service, clock: FakeClock, nats_url: str, namespace: str) -> None:
        self.service = service
        self.client = service.client
        self.runtime = service.runtime
        self.deps = service.app.state.deps
        self.clock = clock
        self.nats_url = nats_url
        self.namespace = namespace

    # ---- booking's facts --------------------------------------------------------------

    def booked(
        self,
        session_id: uuid.UUID | None = None,
        *,
        mentor: str = "m1",
        student: str = "s1",
        starts_at: datetime | None = None,
        minutes: int = 60,
    ) -> SessionBooked:
        starts_at = starts_at or NOW + 2 * HOUR
        return SessionBooked(
            session_id=session_id or uuid.uuid4(),
            mentor_id=mentor,
            student_id=student,
            pack_id=uuid.uuid4(),
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=minutes),
            join_url="https://example.test/join",
            mentor_timezone="Europe/Paris",
        )

    def rescheduled(self, booked: SessionBooked, *, to: datetime) -> SessionRescheduled:
        return SessionRescheduled(
            session_id=booked.session_id,
            mentor_id=booked.mentor_id,
            student_id=booked.student_id,
            previous_starts_at=booked.starts_at,
            starts_at=to,
            ends_at=to + (booked.ends_at - booked.starts_at),
            sequence=1,
        )

    def canceled(self, booked: SessionBooked) -> SessionCanceled:
        return SessionCanceled(
            session_id=booked.session_id,
            mentor_id=booked.mentor_id,
            student_id=booked.student_id,
            starts_at=booked.starts_at,
            canceled_by="mentor",
            late=False,
        )

    def completed(self, booked: SessionBooked) -> SessionCompleted:
        return SessionCompleted(
            session_id=booked.session_id,
            mentor_id=booked.mentor_id,
            student_id=booked.student_id,
            completed_at=booked.ends_at,
        )

    def envelope(self, event: Event, *, at: datetime | None = None) -> Envelope:
        return Envelope.wrap(event, producer="booking", occurred_at=at or self.clock.now())

    async def publish(self, event_or_envelope: Event | Envelope, *, msg_id: str | None = None):
        envelope = (
            event_or_envelope
            if isinstance(event_or_envelope, Envelope)
            else self.envelope(event_or_envelope)
        )
        await publish_raw(self.nats_url, self.namespace, envelope, msg_id=msg_id)
        return envelope

    async def book(self, **kwargs) -> SessionBooked:
        """Publish a booking and wait until video knows it."""
        booked = self.booked(**kwargs)
        await self.publish(booked)
        await self.wait_for(booked.session_id, lambda v: v.status is not None)
        return booked

    # ---- reads and calls --------------------------------------------------------------

    async def view(self, session_id: uuid.UUID) -> SessionView | None:
        async with self.runtime.connection_factory() as connection:
            return await get_view(connection, session_id)

    async def wait_for(self, session_id: uuid.UUID, condition) -> SessionView:
        async def check():
            view = await self.view(session_id)
            return view if view is not None and condition(view) else None

        return await eventually(check)

    async def token(self, session_id: uuid.UUID, user: str = "s1", role: str = "student"):
        return await self.client.post(
            f"/v1/sessions/{session_id}/token", headers=auth_headers(user, role)
        )


@pytest.fixture
async def start_video(start_service, clock, nats_url, namespace):
    async def start(**overrides) -> VideoDriver:
        service = await start_service(
            create_app, Settings, ALEMBIC_INI, app_kwargs={"clock": clock}, **overrides
        )
        return VideoDriver(service, clock, nats_url, namespace)

    return start


@pytest.fixture
async def video(start_video) -> VideoDriver:
    return await start_video()
