"""How each user wants to be reached: saved by the user, synced from Clerk, erased on deletion."""

from dataclasses import asdict, dataclass, field

from notifications.adapters.repositories import NotificationsUnitOfWork
from notifications.domain.errors import ContactNotFound
from notifications.domain.model import Channel, Contact, Kind
from notifications.service_layer.dependencies import Dependencies
from shared.messaging.events import ContactDiscordConnected


@dataclass(frozen=True)
class SaveContact:
    user_id: str
    email: str | None
    display_name: str | None
    discord_id: str | None
    timezone: str
    locale: str
    channels: list[Channel]
    kind_channels: dict[Kind, list[Channel]] = field(default_factory=dict)


async def save_contact(
    cmd: SaveContact, *, uow: NotificationsUnitOfWork, deps: Dependencies
) -> Contact:
    """Create or replace the user's contact details and preferences (not their webhook)."""
    fields = asdict(cmd)
    user_id = fields.pop("user_id")
    return await uow.contacts.upsert(user_id, now=deps.clock.now(), create=fields, change=fields)


async def set_discord_webhook(
    user_id: str, url: str | None, *, uow: NotificationsUnitOfWork, deps: Dependencies
) -> Contact:
    """A mentor's channel webhook for their Discord messages (None removes it)."""
    contact = await uow.contacts.change(
        user_id, now=deps.clock.now(), values={"discord_webhook_url": url}
    )
    if contact is None:
        raise ContactNotFound(f"save a contact first: PUT /v1/contacts/{user_id}")
    return contact


@dataclass(frozen=True)
class SyncUser:
    """A Clerk user's identity: only these fields are Clerk's; preferences stay the user's."""

    user_id: str
    email: str | None
    display_name: str | None


async def sync_user(cmd: SyncUser, *, uow: NotificationsUnitOfWork, deps: Dependencies) -> Contact:
    identity = {"email": cmd.email, "display_name": cmd.display_name}
    defaults = {"timezone": "UTC", "channels": [Channel.email]}
    return await uow.contacts.upsert(
        cmd.user_id,
        now=deps.clock.now(),
        create={**identity, **defaults},
        change=identity,
    )


async def erase_user(user_id: str, *, uow: NotificationsUnitOfWork, deps: Dependencies) -> bool:
    """A deleted user's contact, onboarding and name are erased; their log keeps no address."""
    await uow.names.forget(user_id)
    await uow.onboarding.erase(user_id)
    await uow.deliveries.forget_addresses(user_id)
    return await uow.contacts.erase(user_id)


async def connect_discord(
    user_id: str, discord_id: str, *, uow: NotificationsUnitOfWork, deps: Dependencies
) -> None:
    """Store the Discord id from OAuth, add the Discord channel, end the onboarding reminders."""
    now = deps.clock.now()
    await uow.contacts.upsert(
        user_id,
        now=now,
        create={"discord_id": discord_id, "timezone": "UTC", "channels": [Channel.discord]},
        change={"discord_id": discord_id},
    )
    await uow.contacts.add_channel(user_id, Channel.discord)
    await uow.onboarding.mark_connected(user_id, now=now)
    uow.record(ContactDiscordConnected(user_id=user_id, discord_id=discord_id))
