"""Contacts: every user says how to be reached, and only with an address for each channel."""

from shared.testing.plugin import auth_headers

STUDENT = auth_headers("student-1", "student")
DISCORD_ID = "123456789012345678"


async def test_a_user_saves_and_reads_their_contact(notifications):
    before = await notifications.client.get("/v1/contacts/me", headers=STUDENT)
    saved = await notifications.client.put(
        "/v1/contacts/me",
        json={
            "email": "ada@example.com",
            "discord_id": DISCORD_ID,
            "timezone": "America/New_York",
            "channels": ["discord", "email", "discord"],
        },
        headers=STUDENT,
    )
    after = await notifications.client.get("/v1/contacts/me", headers=STUDENT)

    assert before.status_code == 404
    assert before.json()["code"] == "CONTACT_NOT_FOUND"
    assert saved.status_code == 200, saved.text
    assert after.json()["channels"] == ["discord", "email"]
    assert after.json()["timezone"] == "America/New_York"
    assert after.json()["user_id"] == "student-1"


async def test_contact_details_default_to_email_in_utc(notifications):
    saved = await notifications.client.put(
        "/v1/contacts/me", json={"email": "m@example.com"}, headers=auth_headers("m1", "mentor")
    )

    assert saved.status_code == 200
    assert (saved.json()["channels"], saved.json()["timezone"]) == (["email"], "UTC")


async def test_bad_contact_details_are_422_problems(notifications):
    for body in (
        {"email": "not-an-email"},
        {"channels": ["email"]},
        {"discord_id": DISCORD_ID, "channels": ["discord", "email"]},
        {"email": "a@example.com", "channels": ["discord"]},
        {"email": "a@example.com", "discord_id": "ada#1234", "channels": ["discord"]},
        {"email": "a@example.com", "channels": []},
        {"email": "a@example.com", "channels": ["sms"]},
        {"email": "a@example.com", "timezone": "Europe/Atlantis"},
        {"email": "a@example.com", "timezone": "localtime"},  # the host's zone, not IANA's
        {"email": "a@example.com", "timezone": "Factory"},
    ):
        response = await notifications.client.put("/v1/contacts/me", json=body, headers=STUDENT)
        assert response.status_code == 422, body
        assert response.json()["code"] == "VALIDATION_FAILED"


async def test_contacts_need_a_valid_token(notifications):
    anonymous = await notifications.client.get("/v1/contacts/me")
    forged = await notifications.client.put(
        "/v1/contacts/me", json={"email": "a@example.com"}, headers={"Authorization": "Bearer x"}
    )

    assert anonymous.status_code == forged.status_code == 401
