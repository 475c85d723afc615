"""The suite as one client meets it: one base URL (the gateway), dev tokens, the dev clock and
the dev mailbox. Every call checks its status and answers JSON; a surprise is a JourneyFailed."""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

import httpx

from mentorship.services import SERVICE_NAMES
from shared.auth_dev import mint_dev_token

T = TypeVar("T")


class JourneyFailed(AssertionError):
    """A step saw something a user would not expect; the message says what."""


@dataclass(frozen=True)
class Person:
    """Someone the journey acts as."""

    user_id: str
    role: str
    name: str
    email: str


@dataclass
class Suite:
    """HTTP through the gateway: `call("packs", "GET", "/v1/me/packs", as_=student)`."""

    base_url: str
    dev_secret: str
    http: httpx.Client = field(init=False)
    retry_for: float = 60.0  # how long a 503 is retried before it counts as the answer
    calls: int = field(default=0, init=False)
    retries: int = field(default=0, init=False)
    _tokens: dict[str, str] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.http = httpx.Client(base_url=self.base_url.rstrip("/"), timeout=15.0)

    def close(self) -> None:
        self.http.close()

    def token(self, person: Person) -> str:
        """A dev token for `person`, minted once per journey (valid for an hour of real time)."""
        if person.user_id not in self._tokens:
            self._tokens[person.user_id] = mint_dev_token(
                user_id=person.user_id, role=person.role, secret=self.dev_secret
            )
        return self._tokens[person.user_id]

    def request(
        self,
        service: str,
        method: str,
        path: str,
        *,
        as_: Person | None = None,
        json: Any = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """One call through the gateway's `/api/<service>` prefix, as `as_` (or anonymous)."""
        sent = {"Accept": "application/json", **(headers or {})}
        if as_ is not None:
            sent["Authorization"] = f"Bearer {self.token(as_)}"
        # As a well-behaved client: a 503 (a service restarting, NATS or a database away) or a
        # 429 is retried after its Retry-After with the same request, Idempotency-Key included.
        deadline = time.monotonic() + self.retry_for
        while True:
            self.calls += 1
            response = self.http.request(
                method, f"/api/{service}{path}", json=json, params=params, headers=sent
            )
            if response.status_code not in (429, 503) or time.monotonic() >= deadline:
                return response
            self.retries += 1
            time.sleep(min(_retry_after(response), 2.0))

    def call(
        self,
        service: str,
        method: str,
        path: str,
        *,
        expect: int = 200,
        as_: Person | None = None,
        json: Any = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        """`request`, then the JSON answer; JourneyFailed unless the status is `expect`."""
        response = self.request(
            service, method, path, as_=as_, json=json, params=params, headers=headers
        )
        if response.status_code != expect:
            raise JourneyFailed(
                f"{method} /api/{service}{path}: expected {expect}, got "
                f"{response.status_code}: {response.text[:400]}"
            )
        return response.json() if response.content else None

    def refused(self, service: str, method: str, path: str, *, code: str, **kwargs: Any) -> Any:
        """The problem+json of a refusal whose stable `code` must be `code`."""
        response = self.request(service, method, path, **kwargs)
        problem = _json_or_text(response)
        if response.status_code < 400 or not isinstance(problem, dict):
            raise JourneyFailed(
                f"{method} /api/{service}{path}: expected a {code} problem, got "
                f"{response.status_code}: {response.text[:400]}"
            )
        if problem.get("code") != code:
            raise JourneyFailed(
                f"{method} /api/{service}{path}: expected code {code}, got {problem!r:.400}"
            )
        return problem

    # --- the dev clock ---------------------------------------------------------------------

    def clock(self, admin: Person) -> dict[str, Any]:
        """The suite's dev clock as every service sees it."""
        answer: dict[str, Any] = self.call("packs", "GET", "/v1/admin/clock", as_=admin)
        return answer

    def now(self, admin: Person) -> datetime:
        return datetime.fromisoformat(self.clock(admin)["now"])

    def advance(self, admin: Person, delta: str) -> datetime:
        """Move the whole suite's time forward by `delta` ("71h", "10m")."""
        return self._move_clock(admin, {"advance": delta})

    def set_clock(self, admin: Person, moment: datetime) -> datetime:
        """Move the whole suite's time to `moment`."""
        return self._move_clock(admin, {"set": moment.isoformat()})

    def _move_clock(self, admin: Person, change: dict[str, str]) -> datetime:
        """Move the shared clock, then wait until every service applies it (its due jobs have
        then started at the new time)."""
        moved = self.call("packs", "PUT", "/v1/admin/clock", as_=admin, json=change)
        for service in SERVICE_NAMES:
            eventually(
                lambda service=service: (
                    self.call(service, "GET", "/v1/admin/clock", as_=admin)["revision"]
                    >= moved["revision"]
                ),
                what=f"{service} on the clock's revision {moved['revision']}",
            )
        return datetime.fromisoformat(moved["now"])

    # --- the dev mailbox -------------------------------------------------------------------

    def mails(self, *, to: str | None = None) -> list[dict[str, Any]]:
        """Every mail the dev SMTP sink received (newest first), optionally to one address."""
        mailbox: list[dict[str, Any]] = self.call(
            "notifications", "GET", "/v1/dev/mail", params={"limit": 500}
        )
        if to is None:
            return mailbox
        return [mail for mail in mailbox if to in str(mail.get("to", ""))]


def eventually(check: Callable[[], T], *, what: str, within: float = 20.0) -> T:
    """Poll `check()` until it returns something truthy; JourneyFailed naming `what` after."""
    deadline = time.monotonic() + within
    last_error: Exception | None = None
    while True:
        try:
            result = check()
        except JourneyFailed as exc:
            result, last_error = None, exc
        if result:
            return result
        if time.monotonic() >= deadline:
            detail = f" (last: {last_error})" if last_error else ""
            raise JourneyFailed(f"not seen within {within:.0f}s: {what}{detail}")
        time.sleep(0.1)


def _retry_after(response: httpx.Response) -> float:
    try:
        return max(float(response.headers.get("Retry-After", "0.5")), 0.1)
    except ValueError:
        return 0.5


def _json_or_text(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text
