"""Behind the gateway's `/api/<service>` prefix a service's docs find their schema and assets."""

import httpx
import pytest

from shared.http.docs import documented_app


def app_client() -> httpx.AsyncClient:
    app = documented_app(title="T", version="1")

    @app.get("/v1/ping")
    async def ping() -> dict[str, str]:
        return {"pong": "yes"}

    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


async def test_the_forwarded_prefix_goes_into_docs_links_and_openapi_servers():
    prefix = {"X-Forwarded-Prefix": "/api/packs"}
    async with app_client() as client:
        schema = (await client.get("/openapi.json", headers=prefix)).json()
        docs = (await client.get("/docs", headers=prefix)).text
        routed = await client.get("/v1/ping", headers=prefix)
        asset = await client.get("/static-offline-docs/swagger-ui.css", headers=prefix)
    assert schema["servers"] == [{"url": "/api/packs"}]
    assert "/api/packs/openapi.json" in docs
    assert "/api/packs/static-offline-docs/swagger-ui-bundle.js" in docs
    assert routed.json() == {"pong": "yes"}
    assert asset.status_code == 200


@pytest.mark.parametrize(
    "value", ["api/packs", "/api/packs/", "/a b", "/api/<script>", "//evil.example", "/A"]
)
async def test_a_prefix_that_is_not_a_plain_path_is_ignored(value):
    async with app_client() as client:
        schema = (await client.get("/openapi.json", headers={"X-Forwarded-Prefix": value})).json()
        docs = (await client.get("/docs", headers={"X-Forwarded-Prefix": value})).text
    assert "servers" not in schema
    assert "'/openapi.json'" in docs or '"/openapi.json"' in docs


async def test_the_schema_served_under_the_prefix_declares_the_gateways_own_refusals():
    async with app_client() as client:
        behind = await client.get("/openapi.json", headers={"X-Forwarded-Prefix": "/api/p"})
        direct = (await client.get("/openapi.json")).json()
    answers = behind.json()["paths"]["/v1/ping"]["get"]["responses"]
    for status, code in (("401", "UNAUTHORIZED"), ("429", "RATE_LIMITED"), ("503", "UPSTREAM")):
        assert code in answers[status]["description"]
        assert "application/problem+json" in answers[status]["content"]
    assert "413" not in answers  # no body, no body limit
    assert "429" not in direct["paths"]["/v1/ping"]["get"]["responses"]
