"""/docs and /redoc work offline, and the schema lets Swagger authorize every protected call."""

import importlib

import httpx
import pytest

from mentorship.services import SERVICES, Service

by_name = pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)


def build_app(service: Service):
    """The service's app, built without starting it (nothing connects before the lifespan)."""
    settings = importlib.import_module(f"{service.name}.config").Settings(dev_mode=True)
    return importlib.import_module(f"{service.name}.main").create_app(settings)


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield f"{method.upper()} {path}", operation


@by_name
def test_the_schema_declares_the_bearer_scheme_and_admin_calls_use_it(service: Service) -> None:
    schema = build_app(service).openapi()
    assert schema["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": schema["components"]["securitySchemes"]["bearer"]["description"],
    }
    by_route = dict(operations(schema))
    assert by_route["GET /v1/admin/dead-letters"]["security"] == [{"bearer": []}]
    assert "security" not in by_route["GET /healthz"]


@by_name
def test_every_protected_operation_lists_its_401_and_403_problems(service: Service) -> None:
    schema = build_app(service).openapi()
    protected = [
        (name, operation) for name, operation in operations(schema) if operation.get("security")
    ]
    assert protected
    for name, operation in protected:
        for status in ("401", "403"):
            content = operation["responses"][status]["content"]
            assert content["application/problem+json"]["schema"] == {
                "$ref": "#/components/schemas/Problem"
            }, name


async def test_swagger_ui_and_redoc_load_their_assets_from_the_service() -> None:
    app = build_app(SERVICES[1])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
        for page, asset in (
            ("/docs", "/static-offline-docs/swagger-ui-bundle.js"),
            ("/redoc", "/static-offline-docs/redoc.standalone.js"),
        ):
            html = (await client.get(page)).text
            assert asset in html and "cdn.jsdelivr" not in html and "unpkg" not in html
            response = await client.get(asset)
            assert response.status_code == 200 and len(response.content) > 100_000
