"""HTTP models of the video API."""

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel

from video.domain.access import Participant
from video.domain.attendance import AttendanceAction
from video.domain.sessions import SessionStatus


class SessionRead(BaseModel):
    session_id: UUID
    mentor_id: str
    student_id: str
    starts_at: datetime | None
    ends_at: datetime | None
    status: SessionStatus | None


class TokenRead(BaseModel):
    """What an Agora client needs to join: app, channel, its uid and token, and until when."""

    app_id: str
    channel: str
    uid: int
    token: str
    participant: Participant
    expires_at: datetime
    window_closes_at: datetime


class GrantRead(BaseModel):
    user_id: str
    participant: Participant
    uid: int
    issued_at: datetime
    expires_at: datetime


class AttendanceRead(BaseModel):
    user_id: str
    participant: Participant
    uid: int
    action: AttendanceAction
    at: datetime


class JoinsRead(BaseModel):
    """Every token issued for a session, and what Agora saw of its participants."""

    session_id: UUID
    tokens: list[GrantRead]
    attendance: list[AttendanceRead]


class RebuildRead(BaseModel):
    projection: str
    sessions: int
