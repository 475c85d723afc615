"""Builders of notifications' use-case unit tests: the still moment, the policy, events."""

import uuid
from datetime import UTC, datetime, timedelta

from notifications.domain.model import Contact
from notifications.service_layer.dependencies import Policy
from shared.messaging.events import PackPurchased, SessionBooked, SessionReminderDue

from .fakes import FakeNotificationsUnitOfWork

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
POLICY = Policy(attempt_limit=4, connect_discord_url="https://app.example/discord")
DISCORD_ID = "123456789012345678"


def a_contact(uow: FakeNotificationsUnitOfWork, user_id: str, **fields) -> Contact:
    fields.setdefault("email", f"{user_id}@example.com")
    return uow.contacts.add(Contact(user_id, **fields))


def purchased(student: str = "s1", mentor: str = "m1", *, renewal: bool = False) -> PackPurchased:
    return PackPurchased(
        pack_id=uuid.uuid4(),
        order_id=uuid.uuid4(),
        seat_id=uuid.uuid4(),
        student_id=student,
        mentor_id=mentor,
        sessions_total=4,
        session_minutes=60,
        expires_at=NOW + timedelta(days=30),
        renewal=renewal,
    )


def booked(student: str = "s1", mentor: str = "m1") -> SessionBooked:
    starts = NOW + timedelta(days=2)
    return SessionBooked(
        session_id=uuid.uuid4(),
        mentor_id=mentor,
        student_id=student,
        pack_id=uuid.uuid4(),
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        join_url="https://video.example.com/s/1",
        mentor_timezone="Europe/Berlin",
        topic="Recursion",
    )


def reminder(student: str = "s1", mentor: str = "m1") -> SessionReminderDue:
    return SessionReminderDue(
        session_id=uuid.uuid4(),
        mentor_id=mentor,
        student_id=student,
        starts_at=NOW + timedelta(days=1),
        offset_minutes=1440,
    )
