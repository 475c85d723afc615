"""A feature this deployment is not configured for is a 409 `*_NOT_CONFIGURED` problem, with
no `Retry-After`: retrying never helps (one rule for every service, decision 0017)."""

from shared.testing.plugin import auth_headers


def assert_not_configured(response, code: str) -> None:
    assert response.status_code == 409, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == code
    assert "retry-after" not in response.headers


async def test_discord_connect_and_callback_without_discord_credentials(notifications):
    connect = await notifications.client.get(
        "/v1/me/discord/connect", headers=auth_headers("s1", "student")
    )
    callback = await notifications.client.get(
        "/v1/discord/callback", params={"code": "c", "state": "s"}
    )

    assert_not_configured(connect, "DISCORD_NOT_CONFIGURED")
    assert_not_configured(callback, "DISCORD_NOT_CONFIGURED")


async def test_clerk_webhooks_without_a_signing_secret(notifications):
    response = await notifications.client.post("/v1/webhooks/clerk", content=b"{}")

    assert_not_configured(response, "CLERK_WEBHOOKS_NOT_CONFIGURED")


async def test_the_openapi_declares_the_409(notifications):
    paths = (await notifications.client.get("/openapi.json")).json()["paths"]

    for path, method in (
        ("/v1/me/discord/connect", "get"),
        ("/v1/discord/callback", "get"),
        ("/v1/webhooks/clerk", "post"),
    ):
        responses = paths[path][method]["responses"]
        assert "NOT_CONFIGURED" in responses["409"]["description"], path
        assert "503" not in responses or "NOT_CONFIGURED" not in responses["503"]["description"]
