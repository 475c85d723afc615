"""Agora's two protocols here: RTC tokens (agora-token-builder) and NCS callback signatures."""

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import datetime

from agora_token_builder.RtcTokenBuilder import Role_Publisher, RtcTokenBuilder


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
