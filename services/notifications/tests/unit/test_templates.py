"""Every template renders for both audiences, in the reader's zone, with user text inert."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from notifications.adapters.templates import Renderer
from notifications.domain.local_time import format_local
from notifications.domain.model import Audience
from notifications.service_layer.notices import MAKERS, notices_for
from shared.messaging import events as ev

NOW = datetime(2026, 3, 28, 23, 30, tzinfo=UTC)
IDS = {"student_id": "s1", "mentor_id": "m1"}
SESSION = {"session_id": uuid.uuid4(), **IDS}


def one_of_each() -> list[ev.Event]:
    later = NOW + timedelta(days=1)
    return [
        ev.PackPurchased(
            pack_id=uuid.uuid4(),
            order_id=uuid.uuid4(),
            seat_id=uuid.uuid4(),
            sessions_total=4,
            session_minutes=60,
            expires_at=later,
            renewal=False,
            **IDS,
        ),
        ev.SessionBooked(
            pack_id=uuid.uuid4(),
            starts_at=later,
            ends_at=later + timedelta(hours=1),
            join_url="https://v.example/j",
            mentor_timezone="Europe/Berlin",
            **SESSION,
        ),
        ev.SessionRescheduled(
            previous_starts_at=NOW, starts_at=later, ends_at=later, sequence=1, **SESSION
        ),
        ev.SessionCanceled(
            starts_at=later, canceled_by="student", late=True, reason="sick", **SESSION
        ),
        ev.SessionReminderDue(starts_at=later, offset_minutes=10, **SESSION),
        ev.PackRenewalDue(remaining=0, grace_ends_at=later, **IDS),
        ev.SeatGraceStarted(seat_id=uuid.uuid4(), grace_ends_at=later, **IDS),
        ev.SeatGraceExpiring(seat_id=uuid.uuid4(), grace_ends_at=later, **IDS),
        ev.SeatReleased(seat_id=uuid.uuid4(), reason="grace_over", **IDS),
        ev.PaymentRefunded(
            order_id=uuid.uuid4(),
            refund_id=uuid.uuid4(),
            amount=12_345,
            currency="EUR",
            full=False,
            refunded_at=NOW,
            **IDS,
        ),
        ev.PackRevoked(pack_id=uuid.uuid4(), order_id=uuid.uuid4(), reason="refunded", **IDS),
        ev.ContactDiscordConnected(user_id="s1", discord_id="123456789012345678"),
        ev.ReceiptIssued(
            receipt_id=uuid.uuid4(),
            number="R-2026-000042",
            kind="purchase",
            order_id=uuid.uuid4(),
            amount=40_000,
            currency="EUR",
            issued_at=NOW,
            **IDS,
        ),
        ev.WaitlistSeatOffered(offer_id=uuid.uuid4(), expires_at=later, **IDS),
    ]


def test_every_announced_event_has_a_maker_and_the_test_covers_them_all():
    assert {type(e) for e in one_of_each()} == set(MAKERS)


@pytest.mark.parametrize("event", one_of_each(), ids=lambda e: e.subject)
def test_each_notice_renders_subject_text_html_and_discord(event):
    renderer = Renderer()
    for notice in notices_for(event, now=NOW):
        facts = {**notice.facts, "audience": notice.audience.value, "recipient": "Ada"}
        facts |= {"counterpart": "Grace", "connect_url": "https://app/discord"}
        facts["payments_url"] = "https://app.example/api/payments"
        facts["checkout_url"] = "https://app.example/mentors/m1/checkout"
        rendered = renderer.render(notice.template, facts=facts, zone="Asia/Kolkata")
        assert rendered.subject and "\n" not in rendered.subject
        assert rendered.text.startswith("Hi Ada,")
        assert "<html" in rendered.html and "Ada" in rendered.html
        assert rendered.discord and len(rendered.discord) <= 2000


def test_the_reader_sees_their_own_zone_named_across_a_dst_change():
    assert format_local(NOW, "Europe/Berlin") == "Sunday 29 March 2026, 00:30 CET (Europe/Berlin)"
    after = NOW + timedelta(hours=2)
    assert (
        format_local(after, "Europe/Berlin") == "Sunday 29 March 2026, 03:30 CEST (Europe/Berlin)"
    )
    assert format_local(NOW, "Asia/Kolkata") == "Sunday 29 March 2026, 05:00 IST (Asia/Kolkata)"


def test_a_cancellation_says_who_canceled_why_and_whether_the_credit_is_forfeited():
    [event] = [e for e in one_of_each() if isinstance(e, ev.SessionCanceled)]
    [student, mentor] = notices_for(event, now=NOW)
    facts = {**student.facts, "audience": "student", "recipient": "Ada", "counterpart": "Grace"}
    text = Renderer().render(student.template, facts=facts, zone="UTC").text

    assert (student.audience, mentor.audience) == (Audience.student, Audience.mentor)
    assert "canceled by the student" in text and "Reason: sick" in text
    assert "the session's credit is used" in text


def _attachments(event: ev.Event) -> tuple[dict, ...]:
    [student, _] = notices_for(event, now=NOW)
    facts = {**student.facts, "audience": "student", "recipient": "Ada", "counterpart": "Grace"}
    rendered = Renderer().render(student.template, facts=facts, zone="UTC", invite=student.invite)
    return rendered.attachments


def test_a_booking_carries_an_ics_invite_for_the_email():
    [event] = [e for e in one_of_each() if isinstance(e, ev.SessionBooked)]
    [invite] = _attachments(event)

    assert invite["filename"] == "session.ics"
    assert f"UID:session-{event.session_id}@mentorship" in invite["content"]


def test_a_reschedule_carries_an_updated_invite_with_the_same_uid_and_a_higher_sequence():
    [event] = [e for e in one_of_each() if isinstance(e, ev.SessionRescheduled)]
    [invite] = _attachments(event)

    assert f"UID:session-{event.session_id}@mentorship" in invite["content"]
    assert "SEQUENCE:1" in invite["content"]
