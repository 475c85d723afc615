"""The events notifications publishes: the module a payload lives in names its producer."""

from typing import Annotated

from shared.messaging.events.base import Event
from shared.types import UserId, line


class ContactDiscordConnected(Event):
    subject = "contact.discord_connected"
    user_id: UserId
    discord_id: Annotated[str, line(32, min_length=1)]
