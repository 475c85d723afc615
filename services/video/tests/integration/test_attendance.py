"""Agora's channel callbacks: signature verified, each notice recorded once, video.attendance."""

import asyncio
import hashlib
import hmac
import json
from datetime import datetime, timedelta

from shared.messaging.events import VideoAttendance
from shared.testing.plugin import auth_headers

MIN = timedelta(minutes=1)


def notice(notice_id: str, event_type: int, *, channel: str, uid: int, at: datetime) -> bytes:
    payload = {
        "channelName": channel,
        "uid": uid,
        "platform": 7,
        "clientSeq": 1,
        "ts": int(at.timestamp()),
    }
    body = {
        "noticeId": notice_id,
        "productId": 1,
        "eventType": event_type,
        "notifyMs": 1,
        "sid": "x",
        "payload": payload,
    }
    return json.dumps(body).encode()


async def post_signed(video, body: bytes, *, secret: str | None = None, v1: bool = False):
    key = (secret or video.deps.agora.ncs_secret).encode()
    if v1:
        headers = {"Agora-Signature": hmac.new(key, body, hashlib.sha1).hexdigest()}
    else:
        headers = {"Agora-Signature-V2": hmac.new(key, body, hashlib.sha256).hexdigest()}
    headers["Content-Type"] = "application/json"
    return await video.client.post("/v1/agora/events", content=body, headers=headers)


async def joined_student(video):
    booked = await video.book()
    video.clock.set(booked.starts_at)
    token = (await video.token(booked.session_id)).json()
    return booked, token


async def test_a_signed_join_and_leave_are_recorded_and_announced(video, event_probe):
    booked, token = await joined_student(video)
    joined_at = booked.starts_at + MIN
    left_at = booked.ends_at
    join = notice("n-1", 107, channel=token["channel"], uid=token["uid"], at=joined_at)
    leave = notice("n-2", 108, channel=token["channel"], uid=token["uid"], at=left_at)
    for body in (join, leave):
        response = await post_signed(video, body)
        assert (response.status_code, response.json()) == (200, {"ok": True, "recorded": True})

    [first, second] = await event_probe.wait_for(VideoAttendance, count=2)
    events = sorted((e.payload() for e in (first, second)), key=lambda e: e.at)
    assert [(e.action, e.at) for e in events] == [("joined", joined_at), ("left", left_at)]
    assert {(e.session_id, e.user_id, e.participant) for e in events} == {
        (booked.session_id, "s1", "student")
    }
    joins = await video.client.get(
        f"/v1/sessions/{booked.session_id}/joins", headers=auth_headers("m1", "mentor")
    )
    assert [(a["action"], a["user_id"]) for a in joins.json()["attendance"]] == [
        ("joined", "s1"),
        ("left", "s1"),
    ]


async def test_a_resent_notice_is_recorded_and_announced_once(video, event_probe):
    booked, token = await joined_student(video)
    body = notice("n-7", 103, channel=token["channel"], uid=token["uid"], at=booked.starts_at)
    assert (await post_signed(video, body)).json()["recorded"] is True
    again = await post_signed(video, body)
    assert (again.status_code, again.json()["recorded"]) == (200, False)
    await event_probe.wait_for(VideoAttendance)
    assert len(event_probe.of_type(VideoAttendance)) == 1


async def test_the_same_notice_posted_ten_times_at_once_is_recorded_once(video, event_probe):
    booked, token = await joined_student(video)
    body = notice("n-8", 107, channel=token["channel"], uid=token["uid"], at=booked.starts_at)
    responses = await asyncio.gather(*(post_signed(video, body) for _ in range(10)))
    assert {r.status_code for r in responses} == {200}
    assert sorted(r.json()["recorded"] for r in responses) == [False] * 9 + [True]
    await event_probe.wait_for(VideoAttendance)
    await asyncio.sleep(0.3)
    assert len(event_probe.of_type(VideoAttendance)) == 1


async def test_agoras_sha1_signature_is_accepted_too(video):
    booked, token = await joined_student(video)
    body = notice("n-9", 105, channel=token["channel"], uid=token["uid"], at=booked.starts_at)
    assert (await post_signed(video, body, v1=True)).json()["recorded"] is True


async def test_a_notice_not_signed_with_our_secret_is_refused_and_records_nothing(video):
    booked, token = await joined_student(video)
    body = notice("n-3", 107, channel=token["channel"], uid=token["uid"], at=booked.starts_at)
    forged = await post_signed(video, body, secret="not-ours")
    assert (forged.status_code, forged.json()["code"]) == (401, "INVALID_SIGNATURE")
    unsigned = await video.client.post("/v1/agora/events", content=body)
    assert unsigned.status_code == 401
    joins = await video.client.get(
        f"/v1/sessions/{booked.session_id}/joins", headers=auth_headers("root", "admin")
    )
    assert joins.json()["attendance"] == []


async def test_other_events_and_strangers_in_the_channel_are_acknowledged_but_not_recorded(video):
    booked, token = await joined_student(video)
    at = booked.starts_at
    for body in (
        notice("n-4", 101, channel=token["channel"], uid=0, at=at),  # channel created
        notice("n-5", 107, channel=token["channel"], uid=token["uid"] + 2, at=at),  # no token
        notice("n-6", 107, channel="s-unknown", uid=token["uid"], at=at),
    ):
        response = await post_signed(video, body)
        assert (response.status_code, response.json()["recorded"]) == (200, False)


async def test_a_signed_but_malformed_notice_is_a_problem_not_a_500(video):
    for body in (
        b"not json",
        b'{"noticeId": "n", "eventType": 107, "payload": {"uid": -1}}',
        b"{}",
    ):
        response = await post_signed(video, body)
        assert (response.status_code, response.json()["code"]) == (422, "INVALID_NOTICE"), body
    huge = b'{"noticeId": "' + b"x" * 70_000 + b'"}'  # over the route's 64 KiB (decision 0021)
    too_large = await post_signed(video, huge)
    assert (too_large.status_code, too_large.json()["code"]) == (413, "PAYLOAD_TOO_LARGE")
