"""Which channels a message goes to, and to which address on each."""

from dataclasses import dataclass

from notifications.domain.model import Channel, Contact, Kind, SkipReason


@dataclass(frozen=True)
class Route:
    """One delivery to plan: an address to send to, or the reason it is skipped."""

    channel: Channel
    address: str | None
    skip: SkipReason | None = None


def channels_for(contact: Contact, kind: Kind) -> list[Channel]:
    """The contact's channels for this kind: its per-kind choice, else its default channels."""
    chosen = contact.kind_channels.get(kind)
    if chosen is None:
        return list(contact.channels)
    return list(dict.fromkeys(chosen))


def routes_for(
    contact: Contact | None, *, kind: Kind, discord_ready: bool, only: Channel | None = None
) -> list[Route]:
    """One route per chosen channel; a missing contact or address is a skipped route."""
    if contact is None:
        return [Route(only or Channel.email, None, SkipReason.no_contact)]
    channels = [only] if only is not None else channels_for(contact, kind)
    if not channels:
        return [Route(Channel.email, None, SkipReason.opted_out)]
    return [_route(contact, channel, discord_ready=discord_ready) for channel in channels]


def _route(contact: Contact, channel: Channel, *, discord_ready: bool) -> Route:
    if channel is Channel.email:
        if not contact.email:
            return Route(channel, None, SkipReason.no_email)
        return Route(channel, contact.email)
    # A mentor's own channel webhook needs no bot; a DM needs the bot and a Discord id.
    if contact.discord_webhook_url:
        return Route(channel, contact.discord_webhook_url)
    if not contact.discord_id:
        return Route(channel, None, SkipReason.no_discord)
    if not discord_ready:
        return Route(channel, contact.discord_id, SkipReason.not_configured)
    return Route(channel, contact.discord_id)


def is_webhook(address: str) -> bool:
    """A Discord address is either a user id (a DM) or a channel webhook URL."""
    return address.startswith("https://")
