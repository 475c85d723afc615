"""What a participant did in a session's channel, as Agora reported it."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from video.domain.access import Participant


class AttendanceAction(StrEnum):
    joined = "joined"
    left = "left"


@dataclass(frozen=True)
class Attendance:
    notice_id: str
    session_id: UUID
    user_id: str
    participant: Participant
    uid: int
    action: AttendanceAction
    at: datetime
