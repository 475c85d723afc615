"""Agora's formats: the token decodes to what we asked for; NCS signatures as Agora signs them."""

import base64
import hashlib
import hmac
import struct
from datetime import UTC, datetime
from zlib import crc32

from agora_token_builder.AccessToken import (
    AccessToken,
    kJoinChannel,
    kPublishAudioStream,
    kPublishDataStream,
    kPublishVideoStream,
)

from video.adapters.agora import AgoraApp, ncs_signature_valid, rtc_token

APP = AgoraApp(app_id="0123456789abcdef0123456789abcdef", certificate="c" * 32, ncs_secret="s")
EXPIRES = datetime(2026, 3, 2, 11, 15, tzinfo=UTC)


def decode(token: str) -> dict:
    """Token format 006: version, app id, base64(signature, crc(channel), crc(uid), message)."""
    assert token.startswith("006")
    content = base64.b64decode(token[3 + 32 :])
    (sig_len,) = struct.unpack_from("<H", content, 0)
    signature = content[2 : 2 + sig_len]
    crc_channel, crc_uid = struct.unpack_from("<II", content, 2 + sig_len)
    (msg_len,) = struct.unpack_from("<H", content, 10 + sig_len)
    message = content[12 + sig_len : 12 + sig_len + msg_len]
    parsed = AccessToken()
    assert parsed.fromString(token)
    return {
        "app_id": token[3:35],
        "signature": signature,
        "crc_channel": crc_channel,
        "crc_uid": crc_uid,
        "message": message,
        "privileges": parsed.messages,
    }


def test_the_token_carries_the_app_channel_uid_privileges_and_expiry():
    token = rtc_token(APP, channel="sabc", uid=424242, expires_at=EXPIRES)
    fields = decode(token)
    assert fields["app_id"] == APP.app_id
    assert fields["crc_channel"] == crc32(b"sabc") & 0xFFFFFFFF
    assert fields["crc_uid"] == crc32(b"424242") & 0xFFFFFFFF
    expiry = int(EXPIRES.timestamp())
    assert fields["privileges"] == {
        kJoinChannel: expiry,
        kPublishAudioStream: expiry,
        kPublishVideoStream: expiry,
        kPublishDataStream: expiry,
    }
    signed = APP.app_id.encode() + b"sabc" + b"424242" + fields["message"]
    assert (
        fields["signature"] == hmac.new(APP.certificate.encode(), signed, hashlib.sha256).digest()
    )


def test_a_token_for_another_channel_or_uid_does_not_match():
    one = decode(rtc_token(APP, channel="sabc", uid=2, expires_at=EXPIRES))
    other = decode(rtc_token(APP, channel="sabd", uid=3, expires_at=EXPIRES))
    assert one["crc_channel"] != other["crc_channel"] and one["crc_uid"] != other["crc_uid"]


# Agora's published example (docs: "Signature verification" of Notifications).
AGORA_BODY = (
    b'{"eventMs":1560408533119,"eventType":10,"noticeId":"4eb720f0-8da7-11e9-a43e-53f411c2761f",'
    b'"notifyMs":1560408533119,"payload":{"a":"1","b":2},"productId":1}'
)
AGORA_V2 = "6d3320c60b11101395b7fc8f9068748808a0aa1bfa064438e39d1bc2c7d74d99"
AGORA_V1 = "033c62f40f687675f17f0f41f91a40c71c0f134c"


def test_agoras_published_signatures_verify():
    assert ncs_signature_valid("secret", AGORA_BODY, v2=AGORA_V2, v1=None)
    assert ncs_signature_valid("secret", AGORA_BODY, v2=None, v1=AGORA_V1)


def test_a_changed_body_a_wrong_secret_or_no_signature_fails():
    assert not ncs_signature_valid("secret", AGORA_BODY + b" ", v2=AGORA_V2, v1=None)
    assert not ncs_signature_valid("other", AGORA_BODY, v2=AGORA_V2, v1=None)
    assert not ncs_signature_valid("secret", AGORA_BODY, v2=None, v1=None)
    assert not ncs_signature_valid("secret", AGORA_BODY, v2=AGORA_V1, v1=AGORA_V1)
