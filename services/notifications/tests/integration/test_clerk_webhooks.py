"""Clerk's user webhooks keep contacts in sync, and only when Svix says Clerk sent them."""

import base64
import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from svix.webhooks import Webhook

from shared.testing.plugin import auth_headers

SECRET = "whsec_" + base64.b64encode(b"clerk-test-signing-secret-0123456789").decode()
ADMIN = auth_headers("admin-1", "admin")


def user(user_id: str = "user_1", *, email: str = "ada@example.com", **fields) -> dict:
    return {
        "id": user_id,
        "email_addresses": [{"id": "idn_1", "email_address": email}],
        "primary_email_address_id": "idn_1",
        "first_name": "Ada",
        "last_name": "Lovelace",
    } | fields


def signed(payload: dict, *, secret: str = SECRET, at: datetime | None = None) -> tuple:
    body = json.dumps(payload)
    msg_id = f"msg_{time.time_ns()}"
    at = at or datetime.now(UTC)
    headers = {
        "svix-id": msg_id,
        "svix-timestamp": str(int(at.timestamp())),
        "svix-signature": Webhook(secret).sign(msg_id, at, body),
        "content-type": "application/json",
    }
    return body, headers


@pytest.fixture
async def app(start_notifications, mail):
    return await start_notifications(smtp_port=mail.port, clerk_webhook_secret=SECRET)


async def post(app, payload: dict, **signing):
    body, headers = signed(payload, **signing)
    return await app.client.post("/v1/webhooks/clerk", content=body, headers=headers)


async def contact(app, user_id: str = "user_1"):
    return await app.client.get(f"/v1/contacts/{user_id}", headers=ADMIN)


async def test_created_and_updated_users_keep_their_identity_and_their_own_preferences(app):
    created = await post(app, {"type": "user.created", "data": user()})
    await app.client.put(
        "/v1/contacts/user_1",
        json={"email": "ada@example.com", "timezone": "Asia/Tokyo"},
        headers=ADMIN,
    )
    updated = await post(
        app, {"type": "user.updated", "data": user(email="ada@new.example.com", last_name="K")}
    )
    saved = (await contact(app)).json()

    assert created.status_code == updated.status_code == 204
    assert (saved["email"], saved["display_name"]) == ("ada@new.example.com", "Ada K")
    assert saved["timezone"] == "Asia/Tokyo"


async def test_a_deleted_user_has_their_contact_erased(app):
    await post(app, {"type": "user.created", "data": user()})
    deleted = await post(app, {"type": "user.deleted", "data": {"id": "user_1", "deleted": True}})
    again = await post(app, {"type": "user.deleted", "data": {"id": "user_1", "deleted": True}})

    assert deleted.status_code == again.status_code == 204
    assert (await contact(app)).status_code == 404


async def test_forged_stale_and_unsigned_webhooks_are_refused_and_change_nothing(app):
    forged = await post(
        app,
        {"type": "user.created", "data": user()},
        secret="whsec_" + base64.b64encode(b"someone-else").decode(),
    )
    stale = await post(
        app,
        {"type": "user.created", "data": user()},
        at=datetime.now(UTC) - timedelta(minutes=10),
    )
    unsigned = await app.client.post(
        "/v1/webhooks/clerk", json={"type": "user.created", "data": user()}
    )

    for response in (forged, stale, unsigned):
        assert response.status_code == 401, response.text
        assert response.json()["code"] == "WEBHOOK_SIGNATURE_INVALID"
    assert (await contact(app)).status_code == 404


async def test_a_signed_but_malformed_user_is_a_422_problem(app):
    response = await post(app, {"type": "user.created", "data": {"id": "bad id\x00"}})
    other = await post(app, {"type": "session.created", "data": {"id": "sess_1"}})

    assert (response.status_code, response.json()["code"]) == (422, "WEBHOOK_INVALID")
    assert other.status_code == 204
