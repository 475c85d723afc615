"""Fixtures for notifications tests: a real SMTP sink, Discord on loopback, a service driver."""

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import uvicorn
from sqlalchemy import select

from notifications.adapters import mail_sink
from notifications.adapters.tables import deliveries
from notifications.config import Settings
from notifications.main import ALEMBIC_INI, create_app
from shared.messaging.events import Envelope, Event
from shared.testing.events import ensure_stream, publish_raw
from shared.testing.helpers import eventually
from shared.testing.plugin import auth_headers

from .unit.fakes import FakeDiscord

ADMIN = auth_headers("admin-1", "admin")
BOT_TOKEN = "MTA.test-bot.token"
STARTS = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def mail() -> Any:
    """A real SMTP server on loopback (aiosmtpd); `unknown@example.com` gets 550."""
    sink = mail_sink.start(unknown={"unknown@example.com"})
    yield sink
    sink.stop()


@pytest.fixture
async def discord() -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord()
    config = uvicorn.Config(fake.app, host="127.0.0.1", port=fake.port, log_level="warning")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    await eventually(lambda: _started(server), within=5)
    yield fake
    server.should_exit = True
    await asyncio.wait_for(task, 5)


async def _started(server: uvicorn.Server) -> bool:
    return server.started


class NotificationsDriver:
    """One running notifications service: publish events, read deliveries, wait for them."""

    def __init__(self, service, nats_url: str, namespace: str) -> None:
        self.service = service
        self.client = service.client
        self.runtime = service.runtime
        self.deps = service.app.state.deps
        self.nats_url = nats_url
        self.namespace = namespace

    async def publish(self, event: Event, *, msg_id: str | None = None, envelope=None) -> Envelope:
        envelope = envelope or Envelope.wrap(event, producer="test")
        await publish_raw(self.nats_url, self.namespace, envelope, msg_id=msg_id)
        return envelope

    async def contact(self, user_id: str, **body) -> dict:
        body.setdefault("email", f"{user_id}@example.com")
        response = await self.client.put(f"/v1/contacts/{user_id}", json=body, headers=ADMIN)
        assert response.status_code == 200, response.text
        return response.json()

    async def deliveries(self, **where) -> list:
        query = select(deliveries).order_by(deliveries.c.recipient, deliveries.c.channel)
        for column, value in where.items():
            query = query.where(deliveries.c[column] == value)
        async with self.runtime.connection_factory() as connection:
            return list(await connection.execute(query))

    async def settled(self, count: int, *, within: float = 10.0, **where) -> list:
        """Wait until `count` matching deliveries are no longer pending."""

        async def check() -> list | None:
            rows = await self.deliveries(**where)
            done = [r for r in rows if r.status != "pending"]
            return rows if len(done) >= count else None

        return await eventually(check, within=within)

    async def run_job(self, name: str) -> int | None:
        return await self.runtime.jobs.run_now(name)


@pytest.fixture
async def start_notifications(start_service, nats_url, namespace) -> Callable[..., Any]:
    """`await start_notifications(smtp_port=…, **settings)`; call twice for two replicas."""
    # The stream is declared here, not by FastStream (`ensure_stream` refuses FastStream's);
    # tests that watch events ask for `event_probe` as well.
    await ensure_stream(nats_url, namespace)

    async def start(*, database_url: str | None = None, clock=None, **overrides):
        overrides.setdefault("send_poll_seconds", 0.1)
        overrides.setdefault("send_backoff_base_seconds", 0.1)
        overrides.setdefault("send_backoff_max_seconds", 0.5)
        overrides.setdefault("send_stop_grace_seconds", 0.5)
        service = await start_service(
            create_app,
            Settings,
            ALEMBIC_INI,
            database_url=database_url,
            app_kwargs={"clock": clock} if clock else None,
            **overrides,
        )
        return NotificationsDriver(service, nats_url, namespace)

    return start


@pytest.fixture
async def notifications(start_notifications, mail) -> NotificationsDriver:
    return await start_notifications(smtp_port=mail.port)


def later(**delta) -> datetime:
    return STARTS + timedelta(**delta)
