"""Contacts: every user says how to be reached, and only with an address for each channel."""

from shared.testing.plugin import auth_headers

STUDENT = auth_headers("student-1", "student")
DISCORD_ID = "123456789012345678"
UNKNOWN_LOCALE = "not a language tag Babel knows (for example en, de, de-AT or pt-BR)"


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


async def test_a_locale_is_read_by_babel_and_kept_in_bcp_47_form(notifications):
    saved = {}
    for tag in ("de", "de-AT", "de_ch", "DE-at", "pt_BR", "zh-Hant-TW"):
        response = await notifications.client.put(
            "/v1/contacts/me", json={"email": "a@example.com", "locale": tag}, headers=STUDENT
        )
        assert response.status_code == 200, response.text
        saved[tag] = response.json()["locale"]
    read = await notifications.client.get("/v1/contacts/me", headers=STUDENT)

    assert saved == {
        "de": "de",
        "de-AT": "de-AT",
        "de_ch": "de-CH",
        "DE-at": "de-AT",
        "pt_BR": "pt-BR",
        "zh-Hant-TW": "zh-Hant-TW",
    }
    assert read.json()["locale"] == "zh-Hant-TW"


async def test_a_locale_babel_does_not_know_is_a_422_naming_the_field(notifications):
    for tag in ("xx", "tlh", "de-", "de--AT", "de AT", "12", "english", "de-AT\n", "x" * 36):
        response = await notifications.client.put(
            "/v1/contacts/me", json={"email": "a@example.com", "locale": tag}, headers=STUDENT
        )
        assert response.status_code == 422, tag
        problem = response.json()
        assert response.headers["content-type"].startswith("application/problem+json")
        assert problem["code"] == "VALIDATION_FAILED"
        [error] = problem["errors"]
        assert error["loc"] == ["body", "locale"]
        if len(tag) > 35:
            assert error["type"] == "string_too_long"
        else:  # one message whatever the input: it is never echoed
            assert error["type"] == "locale_unknown", tag
            assert error["msg"] == UNKNOWN_LOCALE


async def test_the_openapi_schema_says_what_a_locale_is(notifications):
    schema = (await notifications.client.get("/openapi.json")).json()
    locale = schema["components"]["schemas"]["ContactUpdate"]["properties"]["locale"]

    assert locale["type"] == "string" and locale["maxLength"] == 35
    assert locale["pattern"] == r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$"
    assert "BCP 47" in locale["description"] and locale["default"] == "en"
