"""HTTP models of notifications."""

import re
from datetime import datetime
from typing import Annotated, Self
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, model_validator
from pydantic_core import PydanticCustomError

from notifications.domain.locales import bcp47, parse_tag
from notifications.domain.model import Channel, DeliveryStatus, Kind
from shared.types import IanaTimezone, Page, ShortText

DiscordId = Annotated[str, Field(pattern=r"^\d{17,20}$", description="Discord user id")]
LOCALE_TAG = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")
WEBHOOK_URL = re.compile(
    r"^https://(?:(?:ptb|canary)\.)?discord(?:app)?\.com/api/webhooks/\d{17,20}/[\w-]{30,100}$"
)


def _distinct(values: list[Channel]) -> list[Channel]:
    return list(dict.fromkeys(values))


def _discord_webhook(url: str) -> str:
    if not WEBHOOK_URL.fullmatch(url):
        raise ValueError(
            "not a Discord webhook URL (https://discord.com/api/webhooks/<id>/<token>)"
        )
    return url


def _locale(tag: str) -> str:
    """A tag Babel reads, kept in BCP 47 form: `de_ch` → `de-CH` (the input is not echoed)."""
    try:
        if not LOCALE_TAG.fullmatch(tag):
            raise ValueError(tag)
        return bcp47(parse_tag(tag))
    except ValueError:
        raise PydanticCustomError(
            "locale_unknown",
            "not a language tag Babel knows (for example en, de, de-AT or pt-BR)",
        ) from None


Locale = Annotated[
    str,
    Field(
        max_length=35,
        description=(
            "the reader's language as a BCP 47 tag (`de`, `de-AT`, `pt-BR`; `_` is read as"
            " `-`), stored in BCP 47 form. Mails are written in its language where the"
            " templates have it (English, German), else in English, with dates and amounts"
            " formatted for the tag. A tag Babel does not know is a 422 (`locale_unknown`)."
        ),
        examples=["de-AT"],
        json_schema_extra={"pattern": LOCALE_TAG.pattern},
    ),
    AfterValidator(_locale),
]

Channels = Annotated[list[Channel], Field(max_length=10), AfterValidator(_distinct)]


class ContactUpdate(BaseModel):
    """The whole contact; every chosen channel needs its address."""

    model_config = ConfigDict(extra="forbid")

    email: EmailStr | None = Field(None, max_length=320)
    display_name: ShortText | None = None
    discord_id: DiscordId | None = None
    timezone: IanaTimezone = "UTC"
    locale: Locale = "en"
    channels: Annotated[Channels, Field(min_length=1)] = [Channel.email]
    kind_channels: dict[Kind, Channels] = Field(
        default_factory=dict,
        description="per kind of message, the channels to use instead ([] mutes the kind)",
    )

    @model_validator(mode="after")
    def _channels_have_addresses(self) -> Self:
        chosen = set(self.channels).union(*self.kind_channels.values())
        if Channel.email in chosen and not self.email:
            raise ValueError("the email channel needs an email address")
        if Channel.discord in chosen and not self.discord_id:
            raise ValueError("the discord channel needs a discord_id")
        return self


class ContactRead(BaseModel):
    user_id: str
    email: str | None
    display_name: str | None
    discord_id: str | None
    discord_webhook_url: str | None
    timezone: str
    locale: str
    channels: list[Channel]
    kind_channels: dict[str, list[Channel]]
    updated_at: datetime


class DiscordWebhookUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: Annotated[
        str,
        Field(max_length=300, json_schema_extra={"pattern": WEBHOOK_URL.pattern}),
        AfterValidator(_discord_webhook),
    ]


class DeliveryRead(BaseModel):
    delivery_id: UUID
    event_id: UUID
    event_type: str
    channel: Channel
    recipient: str
    address: str | None
    template: str
    kind: str
    status: DeliveryStatus
    skip_reason: str | None
    attempts: int
    attempt_limit: int
    last_error: str | None
    provider_message_id: str | None
    subject: str | None
    next_attempt_at: datetime | None
    created_at: datetime
    sent_at: datetime | None


class NotificationRead(BaseModel):
    """What the caller was told, on which channel."""

    delivery_id: UUID
    event_type: str
    channel: Channel
    kind: str
    status: DeliveryStatus
    subject: str | None
    body_text: str | None
    created_at: datetime
    sent_at: datetime | None


class DeliveryPage(Page[DeliveryRead]):
    pass


class NotificationPage(Page[NotificationRead]):
    pass


class ConnectUrl(BaseModel):
    url: str


class DiscordConnected(BaseModel):
    user_id: str
    discord_id: str
