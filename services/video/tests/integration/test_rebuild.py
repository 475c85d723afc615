"""Rebuilding the projection from booking's snapshot: complete beyond the stream's retention."""

import asyncio
import uuid
from datetime import datetime, timedelta

import nats
import pytest
from sqlalchemy import delete, select

from shared.messaging.bus import MessageBus
from shared.messaging.events import Event
from shared.messaging.snapshots import Fact, SnapshotEntry, serve_snapshot
from shared.messaging.stream import stream_name
from shared.settings import ServiceSettings
from shared.testing.plugin import auth_headers
from video.adapters.tables import projection_rebuilds, sessions
from video.domain.sessions import SessionStatus

ADMIN = auth_headers("root", "admin")
MIN = timedelta(minutes=1)


class StandInBooking:
    """Serves `snapshot.session` through the kernel from facts held in memory."""

    def __init__(self) -> None:
        self.entries: list[SnapshotEntry] = []
        self.before_first_page = None

    def add(self, session_id: uuid.UUID, *facts: tuple[Event, datetime]) -> None:
        self.entries.append(SnapshotEntry(str(session_id), [Fact(e, at) for e, at in facts]))
        self.entries.sort(key=lambda entry: entry.position)

    async def read_page(self, connection, *, after: str | None, limit: int):
        if self.before_first_page is not None:
            hook, self.before_first_page = self.before_first_page, None
            await hook()
        uuid.UUID(after) if after else None  # refuses a position that is no session id
        return [e for e in self.entries if after is None or e.position > after][:limit]


@pytest.fixture
async def booking(video, nats_url, namespace):
    owner = StandInBooking()
    settings = ServiceSettings(
        service_name="booking",
        dev_mode=True,
        database_url=video.service.database_url,
        nats_url=nats_url,
        nats_namespace=namespace,
    )
    bus = MessageBus(
        settings=settings, connection_factory=video.runtime.connection_factory, clock=video.clock
    )
    serve_snapshot(bus, aggregate="session", read_page=owner.read_page)
    await bus.start()
    yield owner
    await bus.stop()


async def purge_stream(nats_url: str, namespace: str) -> None:
    """What 7 days of retention do to old facts: gone from JetStream."""
    connection = await nats.connect(nats_url)
    try:
        await connection.jetstream().purge_stream(stream_name(namespace))
    finally:
        await connection.close()


async def forget_everything(video) -> None:
    async with video.runtime.connection_factory() as connection:
        await connection.execute(delete(sessions))
        await connection.commit()


async def test_a_rebuild_after_the_streams_old_events_are_gone_knows_every_session(
    video, booking, nats_url, namespace
):
    now = video.clock.now()
    kept, moved, canceled = video.booked(), video.booked(), video.booked()
    for booked in (kept, moved, canceled):
        await video.publish(video.envelope(booked, at=now))
    await video.wait_for(canceled.session_id, lambda v: v.status is not None)
    await purge_stream(nats_url, namespace)
    await forget_everything(video)
    later = moved.starts_at + timedelta(days=1)
    never_seen = video.booked(mentor="m9", student="s9")
    booking.add(kept.session_id, (kept, now))
    booking.add(moved.session_id, (video.booked(moved.session_id, starts_at=later), now + MIN))
    booking.add(canceled.session_id, (canceled, now), (video.canceled(canceled), now + MIN))
    booking.add(never_seen.session_id, (never_seen, now))

    response = await video.client.post("/v1/admin/rebuilds/sessions", headers=ADMIN)

    assert response.status_code == 200, response.text
    assert response.json() == {"projection": "sessions", "sessions": 4}
    assert (await video.view(kept.session_id)).status is SessionStatus.scheduled
    assert (await video.view(moved.session_id)).starts_at == later
    assert (await video.view(canceled.session_id)).status is SessionStatus.canceled
    video.clock.set(never_seen.starts_at)
    assert (await video.token(never_seen.session_id, "s9", "student")).status_code == 200


async def test_a_live_fact_arriving_during_the_rebuild_survives_the_swap(video, booking):
    now = video.clock.now()
    booked = video.booked()
    booking.add(booked.session_id, (booked, now))  # the snapshot still says scheduled

    async def cancel_live() -> None:
        await video.publish(video.envelope(video.canceled(booked), at=now + MIN))
        await video.wait_for(booked.session_id, lambda v: v.status is SessionStatus.canceled)
        async with video.runtime.connection_factory() as connection:
            assert await connection.scalar(select(projection_rebuilds.c.rebuild_id))

    booking.before_first_page = cancel_live
    response = await video.client.post("/v1/admin/rebuilds/sessions", headers=ADMIN)

    assert response.status_code == 200, response.text
    view = await video.view(booked.session_id)
    assert (view.status, view.starts_at) == (SessionStatus.canceled, booked.starts_at)


async def test_a_rebuild_is_for_admins_and_an_absent_owner_is_a_503_that_changes_nothing(video):
    booked = await video.book()
    for user, role in (("m1", "mentor"), ("s1", "student")):
        refused = await video.client.post(
            "/v1/admin/rebuilds/sessions", headers=auth_headers(user, role)
        )
        assert refused.status_code == 403
    response = await video.client.post("/v1/admin/rebuilds/sessions", headers=ADMIN)
    assert (response.status_code, response.json()["code"]) == (503, "UPSTREAM_UNAVAILABLE")
    assert (await video.view(booked.session_id)).status is SessionStatus.scheduled
    async with video.runtime.connection_factory() as connection:
        assert await connection.scalar(select(projection_rebuilds.c.rebuild_id)) is None


async def test_readers_keep_getting_tokens_while_a_rebuild_swaps(video, booking):
    now = video.clock.now()
    booked = await video.book()
    booking.add(booked.session_id, (booked, now))
    for _ in range(150):
        other = video.booked()
        booking.add(other.session_id, (other, now))
    video.clock.set(booked.starts_at)
    statuses: list[int] = []
    done = asyncio.Event()

    async def keep_asking() -> None:
        while not done.is_set():
            statuses.append((await video.token(booked.session_id)).status_code)

    asker = asyncio.create_task(keep_asking())
    for _ in range(2):
        assert (
            await video.client.post("/v1/admin/rebuilds/sessions", headers=ADMIN)
        ).status_code == 200
    done.set()
    await asker
    assert statuses and set(statuses) == {200}
