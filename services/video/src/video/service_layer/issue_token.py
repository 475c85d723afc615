"""Issue an Agora RTC token to a participant of a scheduled session inside its join window."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from shared.auth import Role
from shared.clock import SystemClock
from video.adapters import agora
from video.adapters.repositories import TokenRecords
from video.domain.access import Participant, admit
from video.domain.grants import TokenGrant
from video.domain.identity import channel_name, participant_uid
from video.service_layer.ports import Dependencies

# Agora's servers check a token's expiry against real time (decision 0016).
REAL_TIME = SystemClock()


@dataclass(frozen=True)
class IssueToken:
    session_id: UUID
    user_id: str
    role: Role


@dataclass(frozen=True)
class IssuedToken:
    app_id: str
    channel: str
    uid: int
    token: str
    participant: Participant
    expires_at: datetime
    window_closes_at: datetime


async def issue_token(cmd: IssueToken, *, records: TokenRecords, deps: Dependencies) -> IssuedToken:
    """Refusals: NOT_A_PARTICIPANT, SESSION_NOT_SCHEDULED, TOO_EARLY, TOO_LATE. Audited: the
    grant is stored before the token is returned (`records` commits it, decision 0029)."""
    now = deps.clock.now()
    view = await records.sessions.get(cmd.session_id)
    admission = admit(view, user_id=cmd.user_id, role=cmd.role, now=now, policy=deps.policy)
    key = deps.agora.identity_key
    channel = channel_name(key, cmd.session_id)
    uid = participant_uid(key, cmd.session_id, user_id=cmd.user_id, as_=admission.participant)
    expires_at = admission.window.closes_at
    # The same span from real now: with the dev clock moved, the token still lasts until the
    # window closes in the suite's time (outside dev mode both clocks are one).
    agora_expiry = REAL_TIME.now() + (expires_at - now)
    token = agora.rtc_token(deps.agora, channel=channel, uid=uid, expires_at=agora_expiry)
    await records.grants.add(
        TokenGrant(
            session_id=cmd.session_id,
            user_id=cmd.user_id,
            participant=admission.participant,
            uid=uid,
            channel=channel,
            issued_at=now,
            expires_at=expires_at,
        )
    )
    return IssuedToken(
        app_id=deps.agora.app_id,
        channel=channel,
        uid=uid,
        token=token,
        participant=admission.participant,
        expires_at=expires_at,
        window_closes_at=admission.window.closes_at,
    )
