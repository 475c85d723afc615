"""The vocabulary of notifications: channels, kinds of message, delivery statuses."""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID


class Channel(StrEnum):
    email = "email"
    discord = "discord"


class Kind(StrEnum):
    """What a message is about; a contact may route or mute each kind."""

    purchase = "purchase"
    session = "session"
    reminder = "reminder"
    renewal = "renewal"
    billing = "billing"
    onboarding = "onboarding"
    account = "account"
    marketing = "marketing"


class DeliveryStatus(StrEnum):
    pending = "pending"
    sent = "sent"
    skipped = "skipped"
    failed = "failed"
    dead = "dead"


class SkipReason(StrEnum):
    no_contact = "no contact"
    no_email = "no email address"
    no_discord = "no Discord account connected"
    not_configured = "not configured"
    opted_out = "opted out"


@dataclass(frozen=True)
class Contact:
    """How one user is reached; `kind_channels` overrides `channels` per kind."""

    user_id: str
    email: str | None = None
    display_name: str | None = None
    discord_id: str | None = None
    discord_webhook_url: str | None = None
    timezone: str = "UTC"
    locale: str = "en"
    channels: tuple[Channel, ...] = (Channel.email,)
    kind_channels: dict[Kind, tuple[Channel, ...]] = field(default_factory=dict)
    updated_at: datetime | None = None

    @property
    def name(self) -> str:
        return self.display_name or self.user_id


class Audience(StrEnum):
    student = "student"
    mentor = "mentor"


@dataclass(frozen=True)
class Invite:
    """The session an email's `.ics` invites to; its words follow the reader's language."""

    session_id: UUID
    starts_at: datetime
    ends_at: datetime
    topic: str
    join_url: str
    sequence: int
    stamped_at: datetime


@dataclass(frozen=True)
class Notice:
    """One message to plan for one recipient: which template, about what, with which facts."""

    recipient: str
    audience: Audience
    template: str
    kind: Kind
    facts: dict[str, Any]
    counterpart: str | None = None
    only: Channel | None = None
    invite: Invite | None = None
    key: UUID | None = None  # the delivery key when it is not the event's id


@dataclass(frozen=True)
class Delivery:
    """One message to one recipient on one channel: planned once per (event, channel,
    recipient), rendered when planned, then claimed (leased) and settled by a sender."""

    delivery_id: UUID
    event_id: UUID
    event_type: str
    channel: Channel
    recipient: str
    address: str | None
    template: str
    kind: Kind
    status: DeliveryStatus
    skip_reason: SkipReason | None
    attempts: int
    attempt_limit: int
    subject: str | None
    body_text: str | None
    body_html: str | None
    attachments: list[dict[str, Any]]
    next_attempt_at: datetime | None
    created_at: datetime
    updated_at: datetime | None = None
    last_error: str | None = None
    provider_message_id: str | None = None
    lease_until: datetime | None = None
    sent_at: datetime | None = None
