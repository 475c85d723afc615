"""Packs, booking and notifications on one NATS: a purchase and a booking reach both people by
real email (SMTP on loopback), each in their own time zone, the invite attached, once each."""

import uuid
from datetime import UTC, datetime

import icalendar

from booking.config import Settings as BookingSettings
from booking.main import ALEMBIC_INI as BOOKING_ALEMBIC_INI
from booking.main import create_app as create_booking
from notifications.adapters import mail_sink
from notifications.config import Settings as NotificationsSettings
from notifications.main import ALEMBIC_INI as NOTIFICATIONS_ALEMBIC_INI
from notifications.main import create_app as create_notifications
from packs.config import Settings as PacksSettings
from packs.main import ALEMBIC_INI as PACKS_ALEMBIC_INI
from packs.main import create_app as create_packs
from shared.clock import FakeClock
from shared.messaging.events import Envelope, PackShape, PaymentSucceeded
from shared.testing.events import publish_raw
from shared.testing.helpers import eventually
from shared.testing.plugin import auth_headers

MENTOR, STUDENT = "mentor-ada", "student-kenji"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # Monday
SLOT = datetime(2026, 3, 4, 13, 0, tzinfo=UTC)  # Wednesday 14:00 in Berlin, 22:00 in Tokyo
ADMIN = auth_headers("admin-1", "admin")


def mails_to(sink, address: str) -> dict:
    """Subject → message; Python's parser keeps the space of a subject folded after its colon."""
    return {
        m.message["Subject"].strip(): m.message for m in sink.received if m.rcpt_tos == [address]
    }


async def test_a_purchase_and_a_booking_mail_student_and_mentor_in_their_own_zones(
    event_probe, start_service, nats_url, namespace
):
    clock = FakeClock(NOW)
    with mail_sink.start() as sink:
        await start_service(
            create_packs, PacksSettings, PACKS_ALEMBIC_INI, app_kwargs={"clock": clock}
        )
        booking = await start_service(
            create_booking, BookingSettings, BOOKING_ALEMBIC_INI, app_kwargs={"clock": clock}
        )
        notifications = await start_service(
            create_notifications,
            NotificationsSettings,
            NOTIFICATIONS_ALEMBIC_INI,
            smtp_port=sink.port,
            send_poll_seconds=0.1,
        )
        for user_id, name, zone in (
            (STUDENT, "Kenji", "Asia/Tokyo"),
            (MENTOR, "Ada", "Europe/Berlin"),
        ):
            saved = await notifications.client.put(
                f"/v1/contacts/{user_id}",
                json={"email": f"{user_id}@example.com", "display_name": name, "timezone": zone},
                headers=ADMIN,
            )
            assert saved.status_code == 200, saved.text
        profile = await booking.client.put(
            "/v1/mentors/me",
            json={
                "display_name": "Ada",
                "timezone": "Europe/Berlin",
                "weekly_hours": {"wed": [{"start": "09:00", "end": "18:00"}]},
                "session_durations": [60],
            },
            headers=auth_headers(MENTOR, "mentor"),
        )
        assert profile.status_code == 200, profile.text
        paid = PaymentSucceeded(
            order_id=uuid.uuid4(),
            student_id=STUDENT,
            mentor_id=MENTOR,
            product_id=uuid.uuid4(),
            amount=20_000,
            currency="EUR",
            provider="stripe",
            paid_at=NOW,
            pack=PackShape(sessions_count=4, session_minutes=60, validity_days=30),
        )
        await publish_raw(nats_url, namespace, Envelope.wrap(paid, producer="payments"))

        async def purchase_mailed() -> bool:  # the student: purchase + onboarding; the mentor
            student = mails_to(sink, f"{STUDENT}@example.com")
            return len(student) >= 2 and len(mails_to(sink, f"{MENTOR}@example.com")) >= 1

        await eventually(purchase_mailed, within=30)
        booked = await booking.client.post(
            "/v1/sessions",
            json={
                "mentor_id": MENTOR,
                "starts_at": SLOT.isoformat(),
                "duration_minutes": 60,
                "topic": "Rust <borrowing> & lifetimes",
            },
            headers={**auth_headers(STUDENT, "student"), "Idempotency-Key": "k-1"},
        )
        assert booked.status_code == 201, booked.text

        async def booking_mailed() -> bool:
            return len(mails_to(sink, f"{MENTOR}@example.com")) >= 2

        await eventually(booking_mailed, within=30)
        await eventually(lambda: _count(sink, 5), within=10)

    student_mails = mails_to(sink, f"{STUDENT}@example.com")
    mentor_mails = mails_to(sink, f"{MENTOR}@example.com")
    assert len(sink.received) == 5  # once each: purchase ×2, onboarding, booking ×2
    assert "Your pack with Ada is ready" in student_mails
    assert "Connect Discord to hear from Ada" in student_mails
    assert "New student: Kenji" in mentor_mails
    [student_invite] = [m for s, m in student_mails.items() if s.startswith("Session booked")]
    [mentor_invite] = [m for s, m in mentor_mails.items() if s.startswith("Session booked")]
    assert "22:00 JST (Asia/Tokyo)" in student_invite["Subject"]
    assert "14:00 CET (Europe/Berlin)" in mentor_invite["Subject"]
    assert "22:00 JST" in student_invite.get_body(("plain",)).get_content()
    html = student_invite.get_body(("html",)).get_content()
    assert "Rust &lt;borrowing&gt; &amp; lifetimes" in html
    [ics] = list(student_invite.iter_attachments())
    [vevent] = icalendar.Calendar.from_ical(ics.get_content()).walk("VEVENT")
    assert vevent.decoded("dtstart") == SLOT

    async def all_recorded_sent() -> dict | None:  # a mail arrives just before its row settles
        mine = await notifications.client.get(
            "/v1/me/notifications", headers=auth_headers(STUDENT, "student")
        )
        page = mine.json()
        return page if {n["status"] for n in page["items"]} == {"sent"} else None

    page = await eventually(all_recorded_sent)
    assert page["total"] == 3


async def _count(sink, count: int) -> bool:
    return len(sink.received) >= count
