"""Channel names and numeric uids derived with a key, so no one can guess another session's."""

import hashlib
import hmac
from uuid import UUID

from video.domain.access import Participant

CHANNEL_HEX_CHARS = 40  # Agora allows 64 bytes; 160 bits of HMAC is plenty


def channel_name(key: bytes, session_id: UUID) -> str:
    digest = hmac.new(key, b"channel:" + session_id.bytes, hashlib.sha256).hexdigest()
    return "s" + digest[:CHANNEL_HEX_CHARS]


def participant_uid(key: bytes, session_id: UUID, *, user_id: str, as_: Participant) -> int:
    """Stable per (user, session), in 1..2^32-1; the mentor's is even, the student's odd."""
    message = b"uid:" + session_id.bytes + user_id.encode()
    base = int.from_bytes(hmac.new(key, message, hashlib.sha256).digest()[:4], "big")
    base &= 0x7FFF_FFFE
    return base + (2 if as_ is Participant.mentor else 1)
