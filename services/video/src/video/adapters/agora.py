"""Agora's two protocols here: RTC tokens (agora-token-builder) and NCS callback signatures."""

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import datetime

from agora_token_builder.RtcTokenBuilder import Role_Publisher, RtcTokenBuilder

from video.domain.attendance import AttendanceAction


@dataclass(frozen=True)
class AgoraApp:
    """The Agora project: its app id, the certificate tokens are signed with, the NCS secret."""

    app_id: str
    certificate: str = field(repr=False)
    ncs_secret: str = field(repr=False)

    @property
    def identity_key(self) -> bytes:
        """Keys channel names and uids; only someone holding the certificate can derive them."""
        return b"video-identity:" + self.certificate.encode()


def rtc_token(app: AgoraApp, *, channel: str, uid: int, expires_at: datetime) -> str:
    """A publisher token (join, audio, video, data) for `uid` in `channel` until `expires_at`."""
    return str(
        RtcTokenBuilder.buildTokenWithUid(
            app.app_id, app.certificate, channel, uid, Role_Publisher, int(expires_at.timestamp())
        )
    )


def ncs_signature_valid(secret: str, body: bytes, *, v2: str | None, v1: str | None) -> bool:
    """Agora signs the raw body: HMAC-SHA256 (Agora-Signature-V2), HMAC-SHA1 (Agora-Signature)."""
    key = secret.encode()
    if v2:
        expected = hmac.new(key, body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, v2.strip().lower())
    if v1:
        expected = hmac.new(key, body, hashlib.sha1).hexdigest()
        return hmac.compare_digest(expected, v1.strip().lower())
    return False


# Agora Notifications channel event types (RTC): who joined or left a channel.
ACTION_BY_EVENT_TYPE = {
    103: AttendanceAction.joined,  # live broadcasting: host joins
    104: AttendanceAction.left,  # host leaves
    105: AttendanceAction.joined,  # audience joins
    106: AttendanceAction.left,  # audience leaves
    107: AttendanceAction.joined,  # communication profile: user joins
    108: AttendanceAction.left,  # user leaves
}
