"""HTTP models of notifications."""

from datetime import datetime
from typing import Annotated, Literal, Self
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, model_validator

from shared.types import IanaTimezone

Channel = Literal["email", "discord"]
DiscordId = Annotated[str, Field(pattern=r"^\d{17,20}$", description="Discord user id")]


def _distinct(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


class ContactUpdate(BaseModel):
    """The whole contact; every chosen channel needs its address."""

    model_config = ConfigDict(extra="forbid")

    email: EmailStr | None = None
    discord_id: DiscordId | None = None
    timezone: IanaTimezone = "UTC"
    channels: Annotated[list[Channel], Field(min_length=1), AfterValidator(_distinct)] = ["email"]

    @model_validator(mode="after")
    def _channels_have_addresses(self) -> Self:
        if "email" in self.channels and not self.email:
            raise ValueError("the email channel needs an email address")
        if "discord" in self.channels and not self.discord_id:
            raise ValueError("the discord channel needs a discord_id")
        return self


class ContactRead(BaseModel):
    user_id: str
    email: str | None
    discord_id: str | None
    timezone: str
    channels: list[Channel]
    updated_at: datetime


class DeliveryRead(BaseModel):
    delivery_id: UUID
    event_id: UUID
    event_type: str
    channel: Channel
    recipient: str
    address: str | None
    template: str
    status: str
    attempts: int
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
