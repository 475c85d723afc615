"""Who may do what, generated: every route of every service (its OpenAPI and the routes it
hides from it) × eleven kinds of caller, compared with one table, tests/authorization.toml.

The six services run side by side on one NATS namespace; the test seeds one mentor's product,
one student's order, pack and session, and points every path parameter at them. The services
verify RS256 tokens of one configured issuer (as with Clerk): the bad tokens are expired,
signed with another key, of another issuer, signed with the dev secret, or not signed. An
allowed caller must not be refused (no 401/403, nor 404 on a seeded object; a domain 409/422
is fine); a refused caller must get exactly the table's status. A route without a row, or a
row without a route, fails.
"""

import asyncio
import importlib
import logging
import os
import time
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from shared.messaging.events import Envelope
from shared.testing.authorization import (
    CALLERS,
    ISSUER,
    USERS,
    Keys,
    Row,
    load_table,
    parse_row,
    routes_of,
)
from shared.testing.events import a_purchase, publish_raw
from shared.testing.helpers import eventually
from shared.testing.rows import scalar

TABLE_PATH = Path(__file__).with_name("authorization.toml")
SERVICES = ("payments", "packs", "booking", "notifications", "video", "search")
PROBLEM = "application/problem+json"
# Request order: reads, then writes, then what ends an object (cancel, refund, pay, delete).
ENDINGS = ("/cancel", "/refunds", "/pay")


# ---- the seeded objects ------------------------------------------------------------------

MENTOR, STUDENT = USERS["mentor"][0], USERS["student"][0]
HOURS = [{"start": "06:00", "end": "22:00"}]
PROFILE = {
    "display_name": "Grace Hopper",
    "timezone": "UTC",
    "weekly_hours": {day: HOURS for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
    "session_durations": [60],
}


@dataclass
class World:
    """The suite with one of everything, and what each path parameter points at."""

    services: dict[str, Any]
    headers: dict[str, dict[str, str]]
    path_values: dict[str, dict[str, str]] = field(default_factory=dict)
    placeholders: set[str] = field(default_factory=set)  # parameters naming nothing real
    slots: list[datetime] = field(default_factory=list)

    def client(self, service: str) -> Any:
        return self.services[service].client

    async def call(self, service: str, method: str, path: str, caller: str, **kwargs: Any) -> Any:
        headers = {**self.headers[caller], **kwargs.pop("headers", {})}
        return await self.client(service).request(method, path, headers=headers, **kwargs)

    async def ok(self, service: str, method: str, path: str, caller: str, **kwargs: Any) -> Any:
        answer = await self.call(service, method, path, caller, **kwargs)
        assert answer.status_code < 300, f"seeding {method} {path}: {answer.text}"
        return answer.json() if answer.content else None


async def seed(world: World, *, nats_url: str, namespace: str) -> None:
    for mentor in ("mentor", "other_mentor"):
        await world.ok("booking", "PUT", "/v1/mentors/me", mentor, json=PROFILE)
    for caller, (user, _) in USERS.items():
        contact = {"email": f"{user}@example.com", "channels": ["email"]}
        await world.ok("notifications", "PUT", "/v1/contacts/me", caller, json=contact)
    product = await world.ok(
        "payments",
        "POST",
        "/v1/products",
        "mentor",
        json={"title": "Four sessions", "price_amount": 32000, "currency": "EUR"},
    )
    order = await world.ok(
        "payments",
        "POST",
        "/v1/checkout",
        "student",
        json={"product_id": product["product_id"], "provider": "sandbox"},
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )
    # The order is paid through the sandbox, so that it has a receipt (and a refundable state).
    await world.ok("payments", "POST", f"/v1/sandbox/checkout/{order['order_id']}/pay", "student")

    async def receipt_id() -> Any:
        payments = world.services["payments"].runtime.connection_factory
        return await scalar(payments, "SELECT receipt_id FROM receipts LIMIT 1")

    receipt = await eventually(receipt_id, within=30)
    paid = a_purchase(STUDENT, MENTOR, paid_at=datetime.now(UTC), sessions=8, days=45)
    await publish_raw(nats_url, namespace, Envelope.wrap(paid, producer="payments"))
    packs = world.services["packs"]

    async def pack_id() -> Any:
        return await scalar(packs.runtime.connection_factory, "SELECT id FROM packs LIMIT 1")

    pack = await eventually(pack_id, within=30)
    start = (datetime.now(UTC) + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    free = await world.ok(
        "booking",
        "GET",
        f"/v1/mentors/{MENTOR}/availability",
        "anonymous",
        params={
            "from": start.isoformat(),
            "to": (start + timedelta(days=4)).isoformat(),
            "duration": 60,
        },
    )
    world.slots = [datetime.fromisoformat(s["starts_at"]) for s in free["slots"]][::3]
    session = await world.ok(
        "booking",
        "POST",
        "/v1/sessions",
        "student",
        json=book_body(world.slots[0]),
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )

    async def everyone_heard() -> bool:
        counts = [
            await scalar(world.services[name].runtime.connection_factory, sql)
            for name, sql in (
                ("video", "SELECT count(*) FROM sessions"),
                ("packs", "SELECT count(*) FROM credits"),
                ("notifications", "SELECT count(*) FROM deliveries"),
            )
        ]
        return all(counts)

    await eventually(everyone_heard, within=30)
    delivery = await scalar(
        world.services["notifications"].runtime.connection_factory,
        "SELECT delivery_id FROM deliveries WHERE recipient = :student LIMIT 1",
        student=STUDENT,
    )
    common = {"code": "UNAUTHORIZED", "dead_letter_id": "999999"}
    world.placeholders = {"dead_letter_id"}
    seeded = {
        "payments": {
            "product_id": product["product_id"],
            "order_id": order["order_id"],
            "receipt_id": str(receipt),
        },
        "packs": {"pack_id": str(pack), "mentor_id": MENTOR, "session_id": session["session_id"]},
        "booking": {"session_id": session["session_id"], "mentor_id": MENTOR},
        "notifications": {"user_id": STUDENT, "delivery_id": str(delivery)},
        "video": {"session_id": session["session_id"]},
        "search": {},
    }
    for name, values in seeded.items():
        jobs = sorted(world.services[name].runtime.jobs.jobs)
        world.path_values[name] = {**common, "name": jobs[0] if jobs else "none", **values}
        if not jobs:
            world.placeholders.add(f"{name}:name")


def book_body(starts_at: datetime) -> dict[str, Any]:
    return {
        "mentor_id": MENTOR,
        "starts_at": starts_at.isoformat(),
        "duration_minutes": 60,
        "topic": "Who may do what",
    }


def request_for(world: World, service: str, method: str, path: str) -> dict[str, Any]:
    """A minimal valid request of one operation against the seeded objects."""
    later = world.slots[1:] or world.slots
    slot = later[zlib.crc32(path.encode()) % len(later)]  # the same slot every run
    bodies: dict[str, Any] = {
        "PUT /v1/admin/clock": {"reset": True},
        "POST /v1/products": {"title": "Eight sessions", "price_amount": 60000, "currency": "EUR"},
        "PATCH /v1/products/{product_id}": {"title": "Four sessions, renamed"},
        "POST /v1/checkout": {
            "product_id": world.path_values["payments"]["product_id"],
            "provider": "sandbox",
        },  # fmt: skip
        "POST /v1/orders/{order_id}/refunds": {"reason": "authorization test"},
        "POST /v1/admin/promo-codes": {
            "code": f"AUTHZ{uuid.uuid4().hex[:6].upper()}",
            "kind": "percent",
            "percent_off": 10,
        },  # fmt: skip
        "PUT /v1/mentors/{mentor_id}/capacity": {"capacity": 12},
        "PATCH /v1/instructor/sessions/{session_id}": {"notes": "prepared the agenda"},
        "POST /v1/slot-holds": {k: v for k, v in book_body(slot).items() if k != "topic"},
        "POST /v1/sessions": book_body(slot),
        "POST /v1/sessions/{session_id}/reschedule": {"starts_at": slot.isoformat()},
        "POST /v1/sessions/{session_id}/cancel": {"reason": "authorization test"},
        "POST /v1/sessions/{session_id}/review": {"rating": 5, "comment": "clear"},
        "PUT /v1/mentors/me": PROFILE,
        "PUT /v1/contacts/me": {"email": "someone@example.com", "channels": ["email"]},
        "PUT /v1/contacts/{user_id}": {"email": "student@example.com", "channels": ["email"]},
        "PUT /v1/contacts/{user_id}/discord-webhook": {
            "url": "https://discord.com/api/webhooks/123456789012345678/" + "t" * 40
        },
        "POST /v1/agora/events": {"noticeId": "n1", "eventType": 103, "payload": {}},
        "POST /v1/webhooks/stripe": {"id": "evt_1", "type": "checkout.session.completed"},
        "POST /v1/webhooks/paypal": {"id": "WH-1", "event_type": "PAYMENT.CAPTURE.COMPLETED"},
        "POST /v1/webhooks/clerk": {"type": "user.created", "data": {"id": "user_1"}},
    }
    queries: dict[str, dict[str, Any]] = {
        "GET /v1/mentors/{mentor_id}/availability": {
            "from": slot.isoformat(),
            "to": (slot + timedelta(days=1)).isoformat(),
            "duration": 60,
        },  # fmt: skip
        "GET /v1/mentors/google/callback": {"code": "c", "state": "s"},
        "GET /v1/discord/callback": {"code": "c", "state": "s"},
        "GET /v1/mentors/suggest": {"q": "grace"},
    }
    name = f"{method} {path}"
    url = path
    for parameter, value in world.path_values[service].items():
        url = url.replace("{" + parameter + "}", value)
    request: dict[str, Any] = {"params": queries.get(name, {})}
    if name in bodies:
        request["json"] = bodies[name]
    elif method in {"POST", "PUT", "PATCH"}:
        request["json"] = {}
    if name in {"POST /v1/sessions", "POST /v1/checkout"}:
        request["headers"] = {"Idempotency-Key": uuid.uuid4().hex}
    return {"url": url, **request}


def seeded_object(world: World, service: str, path: str) -> bool:
    """Whether every path parameter names a real object (a 404 then means refused)."""
    names = [part[1:-1] for part in path.split("/") if part.startswith("{")]
    return not any(n in world.placeholders or f"{service}:{n}" in world.placeholders for n in names)


def order_key(name: str) -> tuple[int, str]:
    method = name.split(" ", 1)[0]
    if method == "DELETE" or name.endswith(ENDINGS):
        return (2, name)
    return (0 if method == "GET" else 1, name)


def callers_in_order(row: Row) -> Iterator[str]:
    yield from (caller for caller in CALLERS if caller not in row.allowed)
    yield from (caller for caller in CALLERS if caller in row.allowed)


# ---- the test ----------------------------------------------------------------------------


def settings_for(service: str, keys: Keys) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "jwt_public_key": keys.public_pem,
        "jwt_issuer": ISSUER,
        "request_timeout_seconds": 5.0,
    }
    if service == "notifications":
        settings["clerk_webhook_secret"] = "whsec_" + "QXV0aG9yaXphdGlvblRlc3RTZWNyZXQ="
        settings["senders_enabled"] = False
    if service == "payments":  # configured, so that a capture reaches its owner check
        settings.update(paypal_client_id="id", paypal_client_secret="secret",
                        paypal_api_base="http://127.0.0.1:9")  # fmt: skip
    if service == "packs":
        settings["default_capacity"] = 20
    return settings


@pytest.mark.timeout(240)
async def test_every_route_answers_each_kind_of_caller_as_the_authorization_table_says(
    start_service, event_probe, nats_url, namespace
):
    logging.getLogger("httpx").setLevel(logging.WARNING)
    table = load_table(TABLE_PATH, SERVICES)
    keys = Keys()
    started = time.monotonic()
    services = {}
    for name in SERVICES:
        main = importlib.import_module(f"{name}.main")
        settings = importlib.import_module(f"{name}.config").Settings
        services[name] = await start_service(
            main.create_app, settings, main.ALEMBIC_INI, **settings_for(name, keys)
        )
    world = World(services=services, headers=keys.headers())
    await seed(world, nats_url=nats_url, namespace=namespace)
    print(f"six services started and seeded in {time.monotonic() - started:.0f} s")

    problems: list[str] = []
    for service in SERVICES:
        app = services[service].app
        answered = routes_of(app)
        documented = {
            f"{method.upper()} {path}"
            for path, item in app.openapi()["paths"].items()
            for method in item
        }
        assert documented <= answered, documented - answered
        rows = table[service]
        problems += [
            f"{service} {name}: no row; add a row to tests/{TABLE_PATH.name}"
            for name in sorted(answered - set(rows))
        ]
        problems += [
            f"{service} {name}: a row in tests/{TABLE_PATH.name} for a route that does not exist"
            for name in sorted(set(rows) - answered)
        ]

    started = time.monotonic()
    walks = await asyncio.gather(
        *(
            walk(world, service, table[service], routes_of(services[service].app))
            for service in SERVICES
        )
    )
    sent = len(CALLERS) * sum(count for count, _, _ in walks)
    known = {defect for _, _, defects in walks for defect in defects}
    problems += [problem for _, found, _ in walks for problem in found]
    print(f"{sent} requests in {time.monotonic() - started:.0f} s")
    assert sent >= 900, f"only {sent} requests"
    assert not problems, "\n".join(problems)
    if known:
        pytest.xfail("known defects: " + "; ".join(sorted(known)))


async def walk(
    world: World, service: str, rows: dict[str, Row], routes: set[str]
) -> tuple[int, list[str], set[str]]:
    """One service's operations, each caller in turn: what disagrees with the table, and the
    known defects (rows marked `defect`) that still show. Reads run side by side; writes one
    after another, what ends an object last."""
    problems: list[str] = []
    known: set[str] = set()
    names = sorted(set(rows) & routes, key=order_key)
    reads = [name for name in names if order_key(name)[0] == 0]
    writes = [name for name in names if order_key(name)[0] != 0]
    results = await asyncio.gather(*(check(world, service, name, rows[name]) for name in reads))
    for name in writes:
        results.append(await check(world, service, name, rows[name]))
    for name, found in zip(reads + writes, results, strict=True):
        if rows[name].defect and found:
            known.add(f"{service} {name}: {rows[name].defect}")
        elif rows[name].defect:
            problems.append(f"{service} {name}: answers as the table says; remove its `defect`")
        else:
            problems += found
    return len(names), problems, known


async def check(world: World, service: str, name: str, row: Row) -> list[str]:
    """Send one operation as every caller, refused ones first; what disagrees with the row."""
    method, path = name.split(" ", 1)
    found, seen = [], {}
    for caller in callers_in_order(row):
        request = request_for(world, service, method, path)
        url = request.pop("url")
        answer = await world.call(service, method, url, caller, **request)
        status = seen[caller] = answer.status_code
        what = f"{status} {_code(answer)} {answer.text[:200]}"
        if caller in row.allowed:
            refused = status in {401, 403} or (
                status == 404 and seeded_object(world, service, path)
            )
            if refused or status >= 500:
                found.append(f"{service} {name}: {caller} is allowed but got {what}")
        elif status != row.refused[caller]:
            found.append(f"{service} {name}: {caller} must get {row.refused[caller]}, got {what}")
        elif not (_code(answer) and answer.headers["content-type"] == PROBLEM):
            found.append(f"{service} {name}: {caller}'s refusal is not a problem: {what}")
    if os.environ.get("AUTHZ_RECORD"):
        print(f"RECORD {service} {name} {seen}")
    return found


def _code(answer: Any) -> str:
    try:
        body = answer.json()
    except ValueError:
        return ""
    return str(body.get("code", "")) if isinstance(body, dict) else ""


# ---- the table's own rules ---------------------------------------------------------------


def test_a_caller_named_in_a_row_is_refused_even_when_who_names_its_kind():
    row = parse_row("x", {"who": "student, mentor", "others": 403, "mentor": 403})
    assert row.allowed == {"student", "other_student", "other_mentor"}
    assert row.refused["mentor"] == 403 and row.refused["admin"] == 403
    assert row.refused["anonymous"] == row.refused["dev_token"] == 401


def test_a_row_that_refuses_someone_must_say_with_what():
    with pytest.raises(AssertionError, match="say what refused callers get"):
        parse_row("x", {"who": "owner"})
    with pytest.raises(AssertionError, match="who = 'owners'"):
        parse_row("x", {"who": "owners", "others": 404})
    with pytest.raises(AssertionError, match="unknown keys"):
        parse_row("x", {"who": "anyone", "otherz": 404})


def test_the_table_loads_and_names_every_service():
    table = load_table(TABLE_PATH, SERVICES)
    assert set(table) == set(SERVICES)
    assert all("GET /healthz" in rows for rows in table.values())
