"""The events video publishes: the module a payload lives in names its producer."""

from typing import Literal
from uuid import UUID

from shared.messaging.events.base import Event
from shared.types import Timestamp, UserId


class VideoAttendance(Event):
    """A participant joined or left a session's video channel, as Agora reported it."""

    subject = "video.attendance"
    session_id: UUID
    user_id: UserId
    participant: Literal["mentor", "student"]
    action: Literal["joined", "left"]
    at: Timestamp
