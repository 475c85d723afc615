"""Who is told what about each event: one notice per recipient, with the template's facts."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from notifications.domain.model import Audience, Channel, Invite, Kind, Notice
from shared.messaging import events as ev


def _both(
    event: ev.Event, template: str, kind: Kind, facts: dict[str, Any], **extra: Any
) -> list[Notice]:
    student, mentor = event.student_id, event.mentor_id  # type: ignore[attr-defined]
    return [
        Notice(student, Audience.student, template, kind, facts, counterpart=mentor, **extra),
        Notice(mentor, Audience.mentor, template, kind, facts, counterpart=student, **extra),
    ]


def _student(event: ev.Event, template: str, kind: Kind, facts: dict[str, Any]) -> list[Notice]:
    return [
        Notice(
            event.student_id,  # type: ignore[attr-defined]
            Audience.student,
            template,
            kind,
            facts,
            counterpart=event.mentor_id,  # type: ignore[attr-defined]
        )
    ]


def _facts(event: ev.Event) -> dict[str, Any]:
    """The event's fields as the templates read them; wording and formats are the templates'."""
    return event.model_dump(mode="json")


def _invite(
    event: ev.SessionBooked | ev.SessionRescheduled, *, sequence: int, now: datetime
) -> Invite:
    """The session an email's `.ics` invites to: same UID per session, SEQUENCE from booking;
    rendered per reader, in their language."""
    return Invite(
        session_id=event.session_id,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        topic=event.topic,
        join_url=event.join_url,
        sequence=sequence,
        stamped_at=now,
    )


def _booked(event: ev.SessionBooked, now: datetime) -> list[Notice]:
    invite = _invite(event, sequence=0, now=now)
    return _both(event, "session_booked", Kind.session, _facts(event), invite=invite)


def _rescheduled(event: ev.SessionRescheduled, now: datetime) -> list[Notice]:
    """The moved session, with an updated invite that replaces the first in calendars."""
    invite = _invite(event, sequence=event.sequence, now=now)
    return _both(event, "session_rescheduled", Kind.session, _facts(event), invite=invite)


NoticeMaker = Callable[..., list[Notice]]

MAKERS: dict[type[ev.Event], NoticeMaker] = {
    ev.PackPurchased: lambda e, now: _both(e, "pack_purchased", Kind.purchase, _facts(e)),
    ev.SessionBooked: _booked,
    ev.SessionRescheduled: _rescheduled,
    ev.SessionCanceled: lambda e, now: _both(e, "session_canceled", Kind.session, _facts(e)),
    ev.SessionReminderDue: lambda e, now: _both(
        e, "session_reminder_due", Kind.reminder, _facts(e)
    ),
    ev.PackRenewalDue: lambda e, now: _student(e, "pack_renewal_due", Kind.renewal, _facts(e)),
    ev.SeatGraceStarted: lambda e, now: _student(e, "seat_grace_started", Kind.renewal, _facts(e)),
    ev.SeatGraceExpiring: lambda e, now: _student(
        e, "seat_grace_expiring", Kind.renewal, _facts(e)
    ),
    ev.SeatReleased: lambda e, now: _both(e, "seat_released", Kind.renewal, _facts(e)),
    ev.PaymentRefunded: lambda e, now: _student(e, "payment_refunded", Kind.billing, _facts(e)),
    ev.PackRevoked: lambda e, now: _both(e, "pack_revoked", Kind.billing, _facts(e)),
    ev.ReceiptIssued: lambda e, now: _student(e, "receipt_issued", Kind.billing, _facts(e)),
    ev.WaitlistSeatOffered: lambda e, now: _student(
        e, "waitlist_seat_offered", Kind.purchase, _facts(e)
    ),
    ev.ContactDiscordConnected: lambda e, now: [
        Notice(
            e.user_id,
            Audience.student,
            "discord_connected",
            Kind.account,
            _facts(e),
            only=Channel.discord,
        )
    ],
}


def notices_for(event: ev.Event, *, now: datetime) -> list[Notice]:
    """The notices an event gives; an event type notifications does not announce gives none."""
    maker = MAKERS.get(type(event))
    return maker(event, now) if maker is not None else []
