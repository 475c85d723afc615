"""The vocabulary of notifications: channels, kinds of message, delivery statuses."""

from dataclasses import dataclass, field
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
    kind_channels: dict[str, list[str]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.display_name or self.user_id


class Audience(StrEnum):
    student = "student"
    mentor = "mentor"


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
    attachments: tuple[dict[str, Any], ...] = ()
    key: UUID | None = None  # the delivery key when it is not the event's id
