"""Email over a real SMTP server on loopback: sent once, retried, failed, dead, retried by hand."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import icalendar

from notifications.adapters import mail_sink
from shared.messaging.events import Envelope, PaymentRefunded, SessionBooked, SessionReminderDue
from shared.testing.helpers import eventually
from shared.testing.plugin import auth_headers

ADMIN = auth_headers("admin-1", "admin")
STARTS = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def booked(student: str = "s1", mentor: str = "m1", **fields) -> SessionBooked:
    values = {
        "session_id": uuid.uuid4(),
        "mentor_id": mentor,
        "student_id": student,
        "pack_id": uuid.uuid4(),
        "starts_at": STARTS,
        "ends_at": STARTS + timedelta(hours=1),
        "join_url": "https://video.example.com/s/1",
        "mentor_timezone": "Europe/Berlin",
        "topic": "System design",
    } | fields
    return SessionBooked(**values)


async def test_a_booking_mails_both_with_text_html_and_an_ics_at_the_right_utc_start(
    notifications, mail
):
    await notifications.contact("s1", display_name="Ada Student")
    await notifications.contact("m1", display_name="Grace Mentor", timezone="Europe/Berlin")
    event = booked()
    envelope = await notifications.publish(event)

    rows = await notifications.settled(2, event_id=envelope.id)
    await eventually(lambda: _received(mail, 2))

    assert {r.status for r in rows} == {"sent"}
    by_rcpt = {m.rcpt_tos[0]: m.message for m in mail.received}
    student = by_rcpt["s1@example.com"]
    assert student["Subject"].startswith("Session booked with Grace Mentor")
    assert student["From"] == "Mentorship <no-reply@mentorship.localhost>"
    assert student["To"] == "s1@example.com"
    [row] = [r for r in rows if r.recipient == "s1"]
    assert student["Message-ID"] == row.provider_message_id
    text = student.get_body(("plain",)).get_content()
    html = student.get_body(("html",)).get_content()
    assert "System design" in text and "<strong>Grace Mentor</strong>" in html
    [invite] = list(student.iter_attachments())
    assert invite.get_filename() == "session.ics"
    calendar = icalendar.Calendar.from_ical(invite.get_content())
    [vevent] = calendar.walk("VEVENT")
    assert vevent.decoded("dtstart") == STARTS
    assert vevent.decoded("dtend") == STARTS + timedelta(hours=1)
    assert str(vevent["uid"]) == f"session-{event.session_id}@mentorship"
    # The mentor reads the same moment in Berlin, named.
    mentor_text = by_rcpt["m1@example.com"].get_body(("plain",)).get_content()
    assert "Monday 2 March 2026, 10:00 CET (Europe/Berlin)" in mentor_text


async def test_one_event_delivered_ten_times_to_two_replicas_sends_one_mail_per_recipient(
    start_notifications, mail
):
    first = await start_notifications(smtp_port=mail.port)
    await start_notifications(smtp_port=mail.port, database_url=first.service.database_url)
    await first.contact("s1")
    await first.contact("m1")
    envelope = Envelope.wrap(booked(), producer="booking")
    await asyncio.gather(
        *(
            first.publish(envelope.payload(), envelope=envelope, msg_id=f"{envelope.id}-{n}")
            for n in range(10)
        )
    )

    await first.settled(2, event_id=envelope.id)
    await asyncio.sleep(1.0)  # every other delivery and both senders had their chance

    assert sorted(m.rcpt_tos[0] for m in mail.received) == ["m1@example.com", "s1@example.com"]
    assert [r.attempts for r in await first.deliveries(event_id=envelope.id)] == [1, 1]


async def test_smtp_down_for_a_while_is_retried_and_sent_once_when_back(start_notifications):
    port = mail_sink.free_port()
    app = await start_notifications(smtp_port=port)
    await app.contact("s1")
    envelope = await app.publish(booked(mentor="m-without-contact"))

    async def failed_twice():
        rows = await app.deliveries(event_id=envelope.id, channel="email", recipient="s1")
        return bool(rows) and rows[0].attempts >= 2 and rows[0]

    down = await eventually(failed_twice)
    assert down.status == "pending" and "SMTPConnectError" in down.last_error
    with mail_sink.start(port=port) as sink:
        [row] = await app.settled(1, event_id=envelope.id, recipient="s1", channel="email")
        await asyncio.sleep(0.5)
        assert row.status == "sent"
        assert len(sink.received) == 1


async def test_smtp_down_for_good_is_dead_and_an_operator_retry_sends_it_once(
    start_notifications,
):
    port = mail_sink.free_port()
    app = await start_notifications(smtp_port=port, send_max_attempts=3)
    await app.contact("s1")
    envelope = await app.publish(booked(mentor="m-without-contact"))

    [dead] = await app.settled(1, event_id=envelope.id, recipient="s1", channel="email")
    listed = await app.client.get("/v1/deliveries", params={"status": "dead"}, headers=ADMIN)

    assert (dead.status, dead.attempts) == ("dead", 3)
    assert [d["delivery_id"] for d in listed.json()["items"]] == [str(dead.delivery_id)]
    with mail_sink.start(port=port) as sink:
        retried = await app.client.post(f"/v1/deliveries/{dead.delivery_id}/retry", headers=ADMIN)
        assert retried.status_code == 200, retried.text
        assert retried.json()["status"] == "pending"
        [row] = await app.settled(1, event_id=envelope.id, recipient="s1", channel="email")
        again = await app.client.post(f"/v1/deliveries/{dead.delivery_id}/retry", headers=ADMIN)
        await asyncio.sleep(0.5)
        assert (row.status, row.attempts) == ("sent", 4)
        assert len(sink.received) == 1
    assert again.status_code == 409
    assert again.json()["code"] == "DELIVERY_NOT_RETRYABLE"


async def test_an_unknown_mailbox_fails_at_once_without_retries(notifications, mail):
    await notifications.contact("s1", email="unknown@example.com")
    envelope = await notifications.publish(booked(mentor="m-without-contact"))

    [row] = await notifications.settled(1, event_id=envelope.id, recipient="s1", channel="email")
    await asyncio.sleep(0.5)

    assert (row.status, row.attempts) == ("failed", 1)
    assert row.last_error.startswith("550")
    assert mail.received == []


async def test_a_reminder_shows_a_tokyo_student_and_a_berlin_mentor_their_own_local_time(
    notifications, mail
):
    await notifications.contact("s-tokyo", timezone="Asia/Tokyo")
    await notifications.contact("m-berlin", timezone="Europe/Berlin")
    reminder = SessionReminderDue(
        session_id=uuid.uuid4(),
        mentor_id="m-berlin",
        student_id="s-tokyo",
        starts_at=datetime(2026, 7, 1, 8, 0, tzinfo=UTC),
        offset_minutes=24 * 60,
    )
    await notifications.publish(reminder)

    await eventually(lambda: _received(mail, 2))
    texts = {m.rcpt_tos[0]: m.message.get_body(("plain",)).get_content() for m in mail.received}

    assert "Wednesday 1 July 2026, 17:00 JST (Asia/Tokyo)" in texts["s-tokyo@example.com"]
    assert "Wednesday 1 July 2026, 10:00 CEST (Europe/Berlin)" in texts["m-berlin@example.com"]
    assert "starts in 24 hours" in texts["s-tokyo@example.com"]


async def test_html_and_template_syntax_in_user_text_render_inert(notifications, mail):
    await notifications.contact("s1", display_name="<img src=x onerror=alert(1)>")
    await notifications.contact("m1", display_name="{{ config }}{% raw %}")
    await notifications.publish(booked(topic="<script>alert('x')</script> {{ 7 * 7 }}"))

    await eventually(lambda: _received(mail, 2))
    student = next(m.message for m in mail.received if m.rcpt_tos == ["s1@example.com"])
    html = student.get_body(("html",)).get_content()
    text = student.get_body(("plain",)).get_content()

    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "{{ 7 * 7 }}" in text and "49" not in text
    assert "{{ config }}{% raw %}" in student["Subject"]


async def test_a_german_reader_is_mailed_in_german_with_german_dates_and_amounts(
    notifications, mail
):
    await notifications.contact("s-de", display_name="Lena", timezone="Europe/Berlin", locale="de")
    await notifications.contact("m-en", display_name="Grace", timezone="Europe/London")
    refund = PaymentRefunded(
        order_id=uuid.uuid4(),
        refund_id=uuid.uuid4(),
        student_id="s-de",
        mentor_id="m-en",
        amount=123_450,
        currency="EUR",
        full=False,
        refunded_at=STARTS,
    )
    await notifications.publish(refund)

    await eventually(lambda: _received(mail, 1))
    [german] = [m.message for m in mail.received]
    text = german.get_body(("plain",)).get_content()
    html = german.get_body(("html",)).get_content()

    assert german["Subject"].strip() == "Erstattung von 1.234,50 €"
    assert text.startswith("Hallo Lena,")
    assert "Wir haben 1.234,50\xa0€ für Ihr Paket bei Grace erstattet (eine Teilerstattung)" in text
    assert "am Montag, 2. März 2026, 10:00 MEZ (Europe/Berlin)" in text
    assert '<html lang="de">' in html


async def test_a_booking_invites_each_reader_in_their_own_language(notifications, mail):
    await notifications.contact(
        "s-at", display_name="Lena", timezone="Europe/Vienna", locale="de_AT"
    )
    await notifications.contact("m-en", display_name="Grace", timezone="Europe/London")
    await notifications.publish(booked("s-at", "m-en", topic=""))

    await eventually(lambda: _received(mail, 2))
    by_rcpt = {m.rcpt_tos[0]: m.message for m in mail.received}
    student, mentor = by_rcpt["s-at@example.com"], by_rcpt["m-en@example.com"]
    [student_event] = _invite_event(student)
    [mentor_event] = _invite_event(mentor)

    assert student["Subject"].strip() == (
        "Sitzung mit Grace gebucht: Montag, 2. März 2026, 10:00 MEZ (Europe/Vienna)"
    )
    assert mentor["Subject"].strip() == (
        "Session booked with Lena: Monday 2 March 2026, 09:00 GMT (Europe/London)"
    )
    assert str(student_event["summary"]) == "Mentoring-Sitzung mit Grace"
    assert student_event["summary"].params["LANGUAGE"] == "de-AT"
    assert str(student_event["description"]).startswith("Teilnehmen: https://")
    assert str(mentor_event["summary"]) == "Mentorship session with Lena"
    assert student_event.decoded("dtstart") == mentor_event.decoded("dtstart") == STARTS


def _invite_event(message) -> list:
    [invite] = list(message.iter_attachments())
    return icalendar.Calendar.from_ical(invite.get_content()).walk("VEVENT")


async def _received(mail, count: int) -> bool:
    return len(mail.received) >= count
