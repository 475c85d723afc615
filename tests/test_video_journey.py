"""Booking and video side by side: video rebuilds every session from booking's own snapshot.

Both run in one namespace on real NATS JetStream and Postgres with their own databases. The
sessions are written with booking's own adapter (as if booked long ago); the stream is purged
(what 7 days of retention do), so only booking's `snapshot.session` can tell video about them.
"""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from typer.testing import CliRunner

from booking.adapters.bookings import SqlBookings
from booking.adapters.sessions import SqlSessions
from booking.config import Settings as BookingSettings
from booking.domain.availability import Interval
from booking.domain.sessions import Actor, Session, SessionStatus
from booking.main import ALEMBIC_INI as BOOKING_ALEMBIC_INI
from booking.main import create_app as create_booking
from mentorship import cli
from shared.clock import FakeClock
from shared.testing.plugin import auth_headers
from video.config import Settings as VideoSettings
from video.main import ALEMBIC_INI as VIDEO_ALEMBIC_INI
from video.main import create_app as create_video

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ADMIN = auth_headers("root", "admin")


async def add_session(db, session, *, blocked, idempotency_key, fingerprint, now) -> bool:
    """Booking's own insert of a session (no reminders), for a snapshot to carry."""
    return await SqlBookings(db).insert(
        session,
        blocked=blocked,
        idempotency_key=idempotency_key,
        fingerprint=fingerprint,
        reminders=[],
        now=now,
    )


async def save_session(db, session, *, now) -> None:
    await SqlSessions(db).save(session, now=now)


def a_session(student: str, *, starts_in: timedelta) -> Session:
    starts_at = NOW + starts_in
    return Session(
        id=uuid.uuid4(),
        mentor_id="mentor-1",
        student_id=student,
        pack_id=uuid.uuid4(),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        status=SessionStatus.scheduled,
        topic="System design",
        join_url="https://example.test/join",
        mentor_timezone="Europe/Paris",
    )


async def test_video_rebuilt_from_bookings_snapshot_knows_sessions_older_than_the_stream(
    start_service, purge_stream
):
    clock = FakeClock(NOW)
    booking = await start_service(
        create_booking, BookingSettings, BOOKING_ALEMBIC_INI, app_kwargs={"clock": clock}
    )
    video = await start_service(
        create_video,
        VideoSettings,
        VIDEO_ALEMBIC_INI,
        app_kwargs={"clock": clock},
        snapshot_page_size=2,  # several pages
    )
    scheduled = [a_session(f"student-{i}", starts_in=timedelta(hours=2 + 2 * i)) for i in range(4)]
    canceled = a_session("student-9", starts_in=timedelta(days=2))
    held = [a_session(f"held-{i}", starts_in=-timedelta(days=3 + i)) for i in range(2)]
    async with booking.runtime.connection_factory() as db:
        for session in (*scheduled, canceled, *held):
            blocked = Interval(session.starts_at, session.ends_at)
            assert await add_session(
                db,
                session,
                blocked=blocked,
                idempotency_key=str(session.id),
                fingerprint="f",
                now=NOW - timedelta(days=30),
            )
        canceled.cancel(by=Actor.mentor, now=NOW, reason="ill", late_window=timedelta(hours=24))
        await save_session(db, canceled, now=NOW - timedelta(days=20))
        for session, outcome in zip(
            held, (SessionStatus.completed, SessionStatus.no_show), strict=True
        ):
            session.settle(outcome, now=session.ends_at)
            await save_session(db, session, now=session.ends_at)
        await db.commit()
    await purge_stream()

    rebuilt = await video.client.post("/v1/admin/rebuilds/sessions", headers=ADMIN)

    assert rebuilt.status_code == 200, rebuilt.text
    assert rebuilt.json()["sessions"] == 7
    for session, status in zip(held, ("completed", "no_show"), strict=True):
        seen = await video.client.get(f"/v1/sessions/{session.id}", headers=ADMIN)
        assert seen.json()["status"] == status
    first = scheduled[0]
    clock.set(first.starts_at - timedelta(minutes=10))
    token = await video.client.post(
        f"/v1/sessions/{first.id}/token", headers=auth_headers(first.student_id, "student")
    )
    assert token.status_code == 200, token.text
    clock.set(canceled.starts_at)
    refused = await video.client.post(
        f"/v1/sessions/{canceled.id}/token", headers=auth_headers(canceled.student_id, "student")
    )
    assert refused.json()["code"] == "SESSION_NOT_SCHEDULED"


async def test_mentorship_rebuild_video_rebuilds_a_running_video_over_http(
    start_service, serve_over_http
):
    booking = await start_service(create_booking, BookingSettings, BOOKING_ALEMBIC_INI)
    session = a_session("student-1", starts_in=timedelta(hours=3))
    async with booking.runtime.connection_factory() as db:
        blocked = Interval(session.starts_at, session.ends_at)
        await add_session(
            db, session, blocked=blocked, idempotency_key="k", fingerprint="f", now=NOW
        )
        await db.commit()
    async with serve_over_http(create_video, VideoSettings, VIDEO_ALEMBIC_INI) as url:
        result = await asyncio.to_thread(
            CliRunner().invoke, cli.app, ["rebuild", "video", "--base-url", url]
        )
        assert result.exit_code == 0, result.output
        assert '"sessions": 1' in result.output
