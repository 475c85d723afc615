"""Every operation of every service, walked from its own OpenAPI, answers hostile input with a
4xx problem: NUL bytes and control characters in path, query, body and the token's `sub`,
integers past int64, wrong JSON types, oversized and deeply nested bodies. A new route is
covered without anyone remembering to add it."""

import asyncio
import importlib
import json
import logging
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from shared.auth_dev import DEV_JWT_SECRET, mint_dev_token

SERVICES = ("payments", "packs", "booking", "notifications", "video", "search")
HOSTILE_TEXT = ("a\x00b", "\x1b[31m\x07", "x" * 5_000)
HOSTILE_NUMBERS = ("9" * 40, "-9" + "9" * 19, "999999999999")
HOSTILE_JSON: tuple[Any, ...] = ("a\x00b", "x" * 100_000, 2**70, True, None, {"$": 1})
MB = 1024 * 1024


def bearer(user: str, role: str) -> dict[str, str]:
    token = mint_dev_token(user_id=user, role=role, secret=DEV_JWT_SECRET)
    return {"Authorization": f"Bearer {token}"}


MENTOR = bearer("m1", "mentor")
ADMIN = bearer("ops", "admin")
STUDENT = bearer("s1", "student")
NUL_SUB = bearer("m1\x00", "mentor")


@dataclass(frozen=True)
class Operation:
    service: str
    method: str
    path: str
    spec: dict[str, Any]

    @property
    def name(self) -> str:
        return f"{self.service} {self.method.upper()} {self.path}"


@dataclass(frozen=True)
class Attempt:
    operation: Operation
    variant: str
    status: int
    body: str


class Schemas:
    """Resolves `$ref`s of one OpenAPI document and builds a valid example for a schema."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.components = document.get("components", {}).get("schemas", {})

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = self.components[schema["$ref"].rsplit("/", 1)[-1]]
        return schema

    def example(self, schema: dict[str, Any], depth: int = 0) -> Any:
        schema = self.resolve(schema)
        if "default" in schema and schema["default"] is not None:
            return schema["default"]
        if "enum" in schema:
            return schema["enum"][0]
        if "const" in schema:
            return schema["const"]
        for key in ("anyOf", "oneOf", "allOf"):
            if key in schema:
                options = [s for s in schema[key] if self.resolve(s).get("type") != "null"]
                return self.example(options[0], depth) if options else None
        kind = schema.get("type")
        if kind == "object" or "properties" in schema:
            if depth > 4:
                return {}
            properties = schema.get("properties", {})
            return {
                name: self.example(properties[name], depth + 1)
                for name in schema.get("required", [])
                if name in properties
            }
        if kind == "array":
            minimum = schema.get("minItems", 0)
            return [self.example(schema.get("items", {}), depth + 1) for _ in range(minimum)]
        if kind == "integer":
            return max(schema.get("minimum", 1), 1) if schema.get("maximum", 2) >= 1 else 0
        if kind == "number":
            return schema.get("minimum", 1)
        if kind == "boolean":
            return False
        return text_example(schema)


def text_example(schema: dict[str, Any]) -> str:
    formats = {
        "uuid": str(uuid.uuid4()),
        "date-time": "2026-06-01T10:00:00Z",
        "date": "2026-06-01",
        "email": "someone@example.com",
        "uri": "https://example.com/x",
        "time": "10:00:00",
    }
    if schema.get("format") in formats:
        return formats[schema["format"]]
    return "m1"[: schema.get("maxLength", 2)] or "m"


def operations(service: str, document: dict[str, Any]) -> list[Operation]:
    found = []
    for path, item in document.get("paths", {}).items():
        for method, spec in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                found.append(Operation(service, method, path, spec))
    return found


class Walker:
    """Sends every hostile variant of one operation and records what came back."""

    def __init__(self, client: httpx.AsyncClient, document: dict[str, Any]) -> None:
        self.client = client
        self.schemas = Schemas(document)
        self.attempts: list[Attempt] = []

    async def walk(self, operation: Operation) -> None:
        headers = ADMIN if "/admin" in operation.path else MENTOR
        parameters = [self.schemas.resolve(p) for p in operation.spec.get("parameters", [])]
        path_values = {
            p["name"]: str(self.schemas.example(p.get("schema", {})))
            for p in parameters
            if p["in"] == "path"
        }
        query = [p for p in parameters if p["in"] == "query"]
        body_schema = (
            operation.spec.get("requestBody", {})
            .get("content", {})
            .get("application/json", {})
            .get("schema")
        )
        body = self.schemas.example(body_schema) if body_schema else None

        async def send(variant: str, *, path=None, params=None, json_body=body, raw=None,
                       auth=headers) -> None:  # fmt: skip
            url = operation.path
            for name, value in {**path_values, **(path or {})}.items():
                url = url.replace("{" + name + "}", quote(value, safe=""))
            extra: dict[str, Any] = {}
            if raw is not None:
                extra["content"] = raw
                extra["headers"] = {**auth, "Content-Type": "application/json"}
            else:
                extra["headers"] = auth
                if json_body is not None or body_schema:
                    extra["json"] = json_body
            answer = await self.client.request(operation.method, url, params=params or {}, **extra)
            self.attempts.append(Attempt(operation, variant, answer.status_code, answer.text[:300]))

        await send("valid example")
        for role, token in (("student", STUDENT), ("admin", ADMIN)):
            await send(f"valid example as {role}", auth=token)
        await send("NUL in the token's sub", auth=NUL_SUB)
        for name in path_values:
            for value in (*HOSTILE_TEXT, *HOSTILE_NUMBERS):
                await send(f"path {name}={value[:12]!r}", path={name: value})
        for parameter in query:
            for value in (*HOSTILE_TEXT, *HOSTILE_NUMBERS):
                await send(f"query {parameter['name']}={value[:12]!r}",
                           params={parameter["name"]: value})  # fmt: skip
        if body_schema is None:
            return
        schema = self.schemas.resolve(body_schema)
        for field in schema.get("properties", {}):
            for value in HOSTILE_JSON:
                mutated = {**(body if isinstance(body, dict) else {}), field: value}
                await send(f"body {field}={str(value)[:12]!r}", json_body=mutated)
        await send("body not JSON", raw=b"\x00\x01garbage\x00")
        await send("body nested 10,000 deep", raw=b"[" * 10_000 + b"]" * 10_000)
        await send("body of 2 MB", raw=json.dumps({"x": "y" * 2 * MB}).encode())
        await send("body a bare number", raw=b"9" * 40)


async def start_all(start_service) -> dict[str, Any]:
    started = {}
    for name in SERVICES:
        main = importlib.import_module(f"{name}.main")
        settings = importlib.import_module(f"{name}.config").Settings
        started[name] = await start_service(
            main.create_app, settings, main.ALEMBIC_INI, request_timeout_seconds=0.5
        )
    return started


# Failures found in services other than the kernel, reported to the lead (issue 7 report);
# each is marked here by (service, method, path) so that the rest stays guarded.
PAYMENTS_TYPES = (
    "payments: query parameters are plain str/int, not the kernel types (NUL in mentor_id, "
    "offset past the promo-code bound reach Postgres as a 500)"
)
KNOWN: dict[tuple[str, str, str], str] = {
    ("payments", "get", "/v1/products"): PAYMENTS_TYPES,
    ("payments", "get", "/v1/admin/orders"): PAYMENTS_TYPES,
    ("payments", "get", "/v1/admin/promo-codes"): PAYMENTS_TYPES,
}


async def test_every_operation_of_every_service_answers_hostile_input_without_a_5xx(
    start_service, event_probe
):
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request otherwise
    services = await start_all(start_service)
    failures: list[Attempt] = []
    covered = sent = 0
    walkers = []
    for name, service in services.items():
        document = service.app.openapi()
        walker = Walker(service.client, document)
        walkers.append((walker, operations(name, document)))
    started = time.monotonic()
    await asyncio.gather(*(walker.walk(op) for walker, ops in walkers for op in ops))
    elapsed = time.monotonic() - started
    for walker, ops in walkers:
        covered += len(ops)
        failures += [a for a in walker.attempts if a.status >= 500 and not _unavailable(a)]
        sent += len(walker.attempts)
    assert covered >= 40, f"only {covered} operations walked"
    print(f"{covered} operations, {sent} requests in {elapsed:.0f} s, {len(failures)} 5xx")
    unexpected = [a for a in failures if _key(a.operation) not in KNOWN]
    assert not unexpected, "\n".join(
        f"{a.operation.name} [{a.variant}] -> {a.status} {a.body[:160]}" for a in unexpected
    )
    if failures:
        pytest.xfail("; ".join(sorted({KNOWN[_key(a.operation)] for a in failures})))


def _key(operation: Operation) -> tuple[str, str, str]:
    return (operation.service, operation.method, operation.path)


def _unavailable(attempt: Attempt) -> bool:
    """A 503 problem with its own code (an upstream that did not answer, a provider not
    configured here) is a documented refusal, not a crash."""
    return attempt.status == 503 and '"code":"' in attempt.body and '"INTERNAL"' not in attempt.body
