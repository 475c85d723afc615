"""POST /v1/sessions/{id}/token: only the two participants, only inside the window."""

import time
import uuid
from datetime import datetime, timedelta

from agora_token_builder.AccessToken import AccessToken, kJoinChannel, kPublishVideoStream

from shared.testing.plugin import auth_headers

MIN = timedelta(minutes=1)
SECOND = timedelta(seconds=1)


async def test_the_student_gets_a_token_for_the_channel_of_the_session(video):
    booked = await video.book()
    video.clock.set(booked.starts_at - 5 * MIN)
    response = await video.token(booked.session_id)
    assert response.status_code == 200, response.text
    body = response.json()
    app = video.deps.agora
    assert body["app_id"] == app.app_id and body["participant"] == "student"
    closes = booked.ends_at + 15 * MIN
    assert datetime.fromisoformat(body["expires_at"]) == closes
    assert datetime.fromisoformat(body["window_closes_at"]) == closes
    parsed = AccessToken()
    assert parsed.fromString(body["token"])
    # Agora checks expiry against real time: the window's span counted from real now, whatever
    # the service's clock says (the test clock here, the dev clock in `make dev`).
    real_expiry = time.time() + (closes - video.clock.now()).total_seconds()
    assert abs(parsed.messages[kJoinChannel] - real_expiry) <= 2
    assert parsed.messages[kPublishVideoStream] == parsed.messages[kJoinChannel]
    rebuilt = AccessToken(app.app_id, app.certificate, body["channel"], body["uid"])
    rebuilt.salt, rebuilt.ts, rebuilt.messages = parsed.salt, parsed.ts, parsed.messages
    assert rebuilt.build() == body["token"]  # signed for exactly this channel and uid


async def test_the_two_participants_share_a_channel_with_distinct_stable_uids(video):
    booked = await video.book()
    video.clock.set(booked.starts_at)
    student = (await video.token(booked.session_id)).json()
    mentor = (await video.token(booked.session_id, "m1", "mentor")).json()
    again = (await video.token(booked.session_id)).json()
    assert student["channel"] == mentor["channel"] == again["channel"]
    assert student["uid"] != mentor["uid"] and student["uid"] == again["uid"]
    other = await video.book()
    video.clock.set(other.starts_at)
    assert (await video.token(other.session_id)).json()["channel"] != student["channel"]


async def test_the_window_edges_on_the_clock(video):
    booked = await video.book()
    opens, closes = booked.starts_at - 15 * MIN, booked.ends_at + 15 * MIN
    for now, status in ((opens - SECOND, 409), (opens, 200), (closes, 200), (closes + SECOND, 409)):
        video.clock.set(now)
        assert (await video.token(booked.session_id)).status_code == status, now


async def test_too_early_says_when_joining_opens_and_too_late_says_when_it_closed(video):
    booked = await video.book()
    video.clock.set(booked.starts_at - 16 * MIN)
    early = await video.token(booked.session_id)
    assert (early.status_code, early.json()["code"]) == (409, "TOO_EARLY")
    assert early.headers["content-type"] == "application/problem+json"
    assert datetime.fromisoformat(early.json()["opens_at"]) == booked.starts_at - 15 * MIN
    video.clock.set(booked.ends_at + 16 * MIN)
    late = await video.token(booked.session_id)
    assert (late.status_code, late.json()["code"]) == (409, "TOO_LATE")
    assert datetime.fromisoformat(late.json()["closed_at"]) == booked.ends_at + 15 * MIN


async def test_a_rescheduled_session_moves_the_window(video):
    booked = await video.book()
    later = booked.starts_at + timedelta(days=1)
    await video.publish(
        video.envelope(video.rescheduled(booked, to=later), at=video.clock.now() + MIN)
    )
    await video.wait_for(booked.session_id, lambda v: v.starts_at == later)
    video.clock.set(booked.starts_at)
    assert (await video.token(booked.session_id)).json()["code"] == "TOO_EARLY"
    video.clock.set(later)
    assert (await video.token(booked.session_id)).status_code == 200


async def test_a_canceled_or_completed_or_unknown_session_refuses(video):
    canceled, completed = await video.book(), await video.book()
    await video.publish(video.envelope(video.canceled(canceled), at=video.clock.now() + MIN))
    await video.publish(video.envelope(video.completed(completed), at=video.clock.now() + MIN))
    await video.wait_for(canceled.session_id, lambda v: v.status == "canceled")
    await video.wait_for(completed.session_id, lambda v: v.status == "completed")
    video.clock.set(canceled.starts_at)
    for session_id in (canceled.session_id, completed.session_id, uuid.uuid4()):
        response = await video.token(session_id)
        assert (response.status_code, response.json()["code"]) == (409, "SESSION_NOT_SCHEDULED")


async def test_a_third_user_a_wrong_role_or_no_token_are_problems(video):
    booked = await video.book()
    video.clock.set(booked.starts_at)
    for user, role in (("x", "student"), ("s1", "mentor"), ("m1", "student"), ("root", "admin")):
        response = await video.token(booked.session_id, user, role)
        assert (response.status_code, response.json()["code"]) == (403, "NOT_A_PARTICIPANT")
    anonymous = await video.client.post(f"/v1/sessions/{booked.session_id}/token")
    assert (anonymous.status_code, anonymous.json()["code"]) == (401, "UNAUTHORIZED")
    forged = await video.client.post(
        f"/v1/sessions/{booked.session_id}/token", headers={"Authorization": "Bearer nope"}
    )
    assert forged.status_code == 401
    malformed = await video.client.post(
        "/v1/sessions/not-a-uuid/token", headers=auth_headers("s1", "student")
    )
    assert (malformed.status_code, malformed.json()["code"]) == (422, "VALIDATION_FAILED")


async def test_every_issued_token_is_audited_and_shown_to_the_mentor_and_admins(video):
    booked = await video.book()
    video.clock.set(booked.starts_at)
    await video.token(booked.session_id)
    await video.token(booked.session_id, "m1", "mentor")
    video.clock.set(booked.starts_at - 20 * MIN)
    await video.token(booked.session_id)  # refused: not audited
    path = f"/v1/sessions/{booked.session_id}/joins"
    response = await video.client.get(path, headers=auth_headers("m1", "mentor"))
    assert response.status_code == 200
    tokens = response.json()["tokens"]
    assert [(t["user_id"], t["participant"]) for t in tokens] == [
        ("s1", "student"),
        ("m1", "mentor"),
    ]
    assert datetime.fromisoformat(tokens[0]["issued_at"]) == booked.starts_at
    assert (await video.client.get(path, headers=auth_headers("root", "admin"))).status_code == 200
    for user, role in (("s1", "student"), ("m2", "mentor")):
        refused = await video.client.get(path, headers=auth_headers(user, role))
        assert (refused.status_code, refused.json()["code"]) == (403, "NOT_THE_SESSION_MENTOR")
    unknown = await video.client.get(
        f"/v1/sessions/{uuid.uuid4()}/joins", headers=auth_headers("root", "admin")
    )
    assert unknown.status_code == 404
