"""How each user wants to be reached: saved by the user, synced from Clerk, erased on deletion."""

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import Row

from notifications.adapters import contacts as contacts_repo
from notifications.adapters import names as names_repo
from notifications.adapters import onboarding as onboarding_repo
from notifications.domain.errors import ContactNotFound
from notifications.domain.model import Channel
from notifications.service_layer.dependencies import Dependencies
from shared.messaging.events import ContactDiscordConnected
from shared.uow import UnitOfWork


@dataclass(frozen=True)
class SaveContact:
    user_id: str
    email: str | None
    display_name: str | None
    discord_id: str | None
    timezone: str
    locale: str
    channels: list[str]
    kind_channels: dict[str, list[str]] = field(default_factory=dict)


async def save_contact(cmd: SaveContact, *, uow: UnitOfWork, deps: Dependencies) -> Row[Any]:
    """Create or replace the user's contact details and preferences (not their webhook)."""
    fields = asdict(cmd)
    user_id = fields.pop("user_id")
    return await contacts_repo.upsert(
        uow.connection, user_id=user_id, now=deps.clock.now(), create=fields, change=fields
    )


async def set_discord_webhook(
    user_id: str, url: str | None, *, uow: UnitOfWork, deps: Dependencies
) -> Row[Any]:
    """A mentor's channel webhook for their Discord messages (None removes it)."""
    row = await contacts_repo.change(
        uow.connection, user_id=user_id, now=deps.clock.now(), values={"discord_webhook_url": url}
    )
    if row is None:
        raise ContactNotFound(f"save a contact first: PUT /v1/contacts/{user_id}")
    return row


@dataclass(frozen=True)
class SyncUser:
    """A Clerk user's identity: only these fields are Clerk's; preferences stay the user's."""

    user_id: str
    email: str | None
    display_name: str | None


async def sync_user(cmd: SyncUser, *, uow: UnitOfWork, deps: Dependencies) -> Row[Any]:
    identity = {"email": cmd.email, "display_name": cmd.display_name}
    defaults = {"timezone": "UTC", "channels": [Channel.email.value]}
    return await contacts_repo.upsert(
        uow.connection,
        user_id=cmd.user_id,
        now=deps.clock.now(),
        create={**identity, **defaults},
        change=identity,
    )


async def erase_user(user_id: str, *, uow: UnitOfWork, deps: Dependencies) -> bool:
    """A deleted user's contact, onboarding and name are erased; their log keeps no address."""
    await names_repo.forget(uow.connection, user_id)
    return await contacts_repo.erase(uow.connection, user_id)


async def connect_discord(
    user_id: str, discord_id: str, *, uow: UnitOfWork, deps: Dependencies
) -> None:
    """Store the Discord id from OAuth, add the Discord channel, end the onboarding reminders."""
    now = deps.clock.now()
    await contacts_repo.upsert(
        uow.connection,
        user_id=user_id,
        now=now,
        create={"discord_id": discord_id, "timezone": "UTC", "channels": [Channel.discord.value]},
        change={"discord_id": discord_id},
    )
    await contacts_repo.add_channel(uow.connection, user_id=user_id, channel=Channel.discord)
    await onboarding_repo.mark_connected(uow.connection, student_id=user_id, now=now)
    uow.record(ContactDiscordConnected(user_id=user_id, discord_id=discord_id))
