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
import hypothesis
import pytest
import schemathesis
from schemathesis.core.failures import FailureGroup
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    positive_data_acceptance,
    status_code_conformance,
)

from shared.auth_dev import DEV_JWT_SECRET, mint_dev_token

SERVICES = ("payments", "packs", "booking", "notifications", "video", "search")
HOSTILE_TEXT = ("a\x00b", "\x1b[31m" + "x" * 5_000)
HOSTILE_NUMBERS = ("9" * 40, "999999999999")
HOSTILE_JSON: tuple[Any, ...] = ("a\x00b", "x" * 100_000, 2**70, True, None, {"$": None})
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
        await send("valid example as a student", auth=STUDENT)
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
KNOWN: dict[tuple[str, str, str], str] = {}
# Statuses a route answers without declaring them (`responses={...}` on the route; the kernel
# then documents them as problems): the kernel cannot know them.
UNDOCUMENTED: dict[tuple[str, str, str], str] = {}


@pytest.mark.timeout(300)  # six services with migrations, ~2,500 requests, on a shared machine
async def test_every_operation_answers_hostile_and_generated_input_with_documented_4xx(
    start_service, event_probe
):
    """One start of the six services for both walks: the hand-made hostile inputs, then
    schemathesis (bounded positive cases) checked for documented statuses and content types."""
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request otherwise
    started = time.monotonic()
    services = await start_all(start_service)
    print(f"six services started in {time.monotonic() - started:.0f} s")
    documents = {name: service.app.openapi() for name, service in services.items()}

    walkers = [
        (Walker(services[name].client, document), operations(name, document))
        for name, document in documents.items()
    ]
    started = time.monotonic()
    await asyncio.gather(*(walker.walk(op) for walker, ops in walkers for op in ops))
    attempts = [attempt for walker, _ in walkers for attempt in walker.attempts]
    covered = sum(len(ops) for _, ops in walkers)
    print(f"hostile: {covered} operations, {len(attempts)} requests "
          f"in {time.monotonic() - started:.0f} s")  # fmt: skip
    assert covered >= 40, f"only {covered} operations walked"
    failures = [
        f"{a.operation.name} [{a.variant}] -> {a.status} {a.body[:160]}"
        for a in attempts
        if a.status >= 500 and not _unavailable(a) and _key(a.operation) not in KNOWN
    ]

    started = time.monotonic()
    generated = await asyncio.gather(
        *(fuzz(name, services[name].client, document) for name, document in documents.items())
    )
    print(f"schemathesis: {sum(count for count, _, _ in generated)} requests "
          f"in {time.monotonic() - started:.0f} s")  # fmt: skip
    failures += [failure for _, found, _ in generated for failure in found]
    assert not failures, "\n".join(sorted(set(failures)))
    known = {KNOWN[_key(a.operation)] for a in attempts if a.status >= 500 and not _unavailable(a)}
    known |= {reason for _, _, reasons in generated for reason in reasons}
    if known:
        pytest.xfail("; ".join(sorted(known)))


GENERATED_PER_OPERATION = 3
# Documented statuses and content types, and positive-data acceptance: a request the schema
# calls valid is not refused as malformed (400/422), so the schema states the real bounds
# and a generated client never sends what the service rejects.
CHECKS = [status_code_conformance, content_type_conformance, positive_data_acceptance]
# Operations whose valid requests no schema can describe, each with its reason; they keep the
# other checks. Keyed by (method, path) in any service.
NO_POSITIVE_CHECK: dict[tuple[str, str], str] = {
    ("post", "/v1/webhooks/stripe"): "valid only with Stripe's signature over the raw body",
    ("post", "/v1/webhooks/paypal"): "valid only with PayPal's transmission signature",
    ("post", "/webhooks/clerk"): "valid only with Clerk's (Svix) signature",
    ("post", "/v1/webhooks/clerk"): "valid only with Clerk's (Svix) signature",
    # Cross-field rules stated in the description only (reported to the lead, issue 17):
    ("put", "/v1/contacts/me"): "each chosen channel needs its address (email, discord_id)",
    ("put", "/v1/contacts/{user_id}"): "each chosen channel needs its address",
    ("put", "/v1/admin/clock"): "exactly one of advance / set / reset (the dev clock's body)",
    ("put", "/v1/mentors/me"): "working-hour spans start before they end and do not overlap",
}


async def fuzz(service: str, client: httpx.AsyncClient, document: dict[str, Any]):
    """Send schemathesis cases for every operation; failures: 5xx or undocumented answers."""
    schema = schemathesis.openapi.from_dict(document)
    failures: list[str] = []
    known: set[str] = set()
    sent = 0
    semaphore = asyncio.Semaphore(8)

    async def send(case: Any) -> None:
        nonlocal sent
        kwargs = case.as_transport_kwargs(base_url="http://test")
        async with semaphore:
            answer = await client.request(
                kwargs["method"],
                kwargs["url"],
                headers={k: v for k, v in kwargs["headers"].items() if k != "Connection"},
                params=kwargs.get("params"),
                json=kwargs.get("json"),
                content=kwargs.get("data"),
            )
        sent += 1
        operation = Operation(service, case.method.lower(), case.path, {})
        where = f"{operation.name} [schemathesis {case.meta.generation.mode.value}]"
        if answer.status_code >= 500 and not _unavailable(
            Attempt(operation, "", answer.status_code, answer.text)
        ):
            if _key(operation) in KNOWN:
                known.add(KNOWN[_key(operation)])
            else:
                failures.append(f"{where} -> {answer.status_code} {answer.text[:160]}")
            return
        try:
            exempt = (operation.method, operation.path) in NO_POSITIVE_CHECK
            checks = [c for c in CHECKS if not (exempt and c is positive_data_acceptance)]
            case.validate_response(answer, checks=checks)
        except FailureGroup as error:
            if _key(operation) in UNDOCUMENTED:
                known.add(UNDOCUMENTED[_key(operation)])
            else:
                sent_data = {"query": kwargs.get("params"), "body": kwargs.get("json")}
                failures.append(
                    f"{where} -> {answer.status_code}: {_first_failure(error)} "
                    f"sent {str(sent_data)[:300]} answered {answer.text[:300]}"
                )

    cases = []
    for result in schema.get_all_operations():
        operation = result.ok()
        token = ADMIN if "/admin" in operation.path else MENTOR
        # Positive cases only: the hostile walk above is the negative half, and generation
        # costs ~0.1 s a case on this machine.
        strategy = operation.as_strategy(generation_mode=GenerationMode.POSITIVE, headers=token)
        cases += draw(strategy, GENERATED_PER_OPERATION)
    await asyncio.gather(*(send(case) for case in cases))
    return sent, failures, known


def _first_failure(error: FailureGroup) -> str:
    failure = error.exceptions[0]
    return f"{getattr(failure, 'title', type(failure).__name__)}: {str(failure)[:200]}"


def draw(strategy: Any, count: int) -> list[Any]:
    """Up to `count` distinct cases from a hypothesis strategy, without shrinking."""
    cases: list[Any] = []

    @hypothesis.settings(
        max_examples=count,
        derandomize=True,  # the same cases every run: a failure reproduces
        database=None,
        deadline=None,
        phases=[hypothesis.Phase.generate],
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    @hypothesis.given(strategy)
    def collect(case: Any) -> None:
        cases.append(case)

    try:
        collect()
    except hypothesis.errors.Unsatisfiable:  # nothing to make negative (no input at all)
        pass
    return cases


def _key(operation: Operation) -> tuple[str, str, str]:
    return (operation.service, operation.method, operation.path)


def _unavailable(attempt: Attempt) -> bool:
    """A 503 problem with its own code (an upstream that did not answer) is a documented
    refusal, not a crash."""
    return attempt.status == 503 and '"code":"' in attempt.body and '"INTERNAL"' not in attempt.body
