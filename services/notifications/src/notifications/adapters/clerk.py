"""Clerk user webhooks, Svix-signed: verified with the `svix` library, then parsed."""

from enum import StrEnum
from typing import Annotated, Any

from email_validator import EmailNotValidError, validate_email
from pydantic import BaseModel, ConfigDict, Field
from svix.webhooks import Webhook, WebhookVerificationError

from shared.types import ShortText, UserId


class InvalidSignature(Exception):
    pass


class ClerkEventType(StrEnum):
    user_created = "user.created"
    user_updated = "user.updated"
    user_deleted = "user.deleted"


class EmailAddress(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: Annotated[str, Field(max_length=100)]
    email_address: Annotated[str, Field(max_length=320)]


class ClerkUser(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: UserId
    email_addresses: Annotated[list[EmailAddress], Field(max_length=100)] = []
    primary_email_address_id: Annotated[str, Field(max_length=100)] | None = None
    first_name: ShortText | None = None
    last_name: ShortText | None = None
    username: ShortText | None = None

    def primary_email(self) -> str | None:
        """The primary address if it is a valid one, else None."""
        for address in self.email_addresses:
            if address.id == self.primary_email_address_id:
                try:
                    return validate_email(
                        address.email_address, check_deliverability=False
                    ).normalized
                except EmailNotValidError:
                    return None
        return None

    def display_name(self) -> str | None:
        full = " ".join(part for part in (self.first_name, self.last_name) if part)
        return full or self.username or None


class ClerkWebhook(BaseModel):
    model_config = ConfigDict(extra="ignore")

    type: Annotated[str, Field(max_length=100)]
    data: dict[str, Any]


def verify(body: bytes, headers: dict[str, str], *, secret: str) -> ClerkWebhook:
    """The webhook if its Svix signature is valid and fresh (5 minutes); else InvalidSignature."""
    try:
        Webhook(secret).verify(body, headers)
    except WebhookVerificationError as exc:
        raise InvalidSignature(str(exc)) from exc
    return ClerkWebhook.model_validate_json(body)
