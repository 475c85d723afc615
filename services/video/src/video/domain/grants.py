"""A token video issued: the audit row Agora's callbacks are matched against."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from video.domain.access import Participant


@dataclass(frozen=True)
class TokenGrant:
    """Who was let into which channel, as which participant, with which uid, until when."""

    session_id: UUID
    user_id: str
    participant: Participant
    uid: int
    channel: str
    issued_at: datetime
    expires_at: datetime
