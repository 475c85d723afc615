"""Calls to the services' HTTP endpoints: readiness and the dead-letter admin API."""

import os
from dataclasses import dataclass
from typing import Any

import httpx

from shared.auth_dev import DEV_JWT_SECRET, mint_dev_token

ADMIN_USER_ID = "mentorship-cli"


def dev_secret() -> str:
    """The dev JWT secret: `MENTORSHIP_DEV_JWT_SECRET`, else the built-in dev default."""
    return os.environ.get("MENTORSHIP_DEV_JWT_SECRET") or DEV_JWT_SECRET


def admin_token(explicit: str | None = None) -> str:
    """A bearer token for admin calls: the given one, `MENTORSHIP_ADMIN_TOKEN`, or a dev one."""
    token = explicit or os.environ.get("MENTORSHIP_ADMIN_TOKEN")
    if token:
        return token
    return mint_dev_token(user_id=ADMIN_USER_ID, role="admin", secret=dev_secret(), ttl_seconds=300)


@dataclass(frozen=True)
class Readiness:
    """What `/readyz` answered."""

    ready: bool
    detail: str


def check_ready(client: httpx.Client, base_url: str) -> Readiness:
    """GET `{base_url}/readyz`: ready on 200; the detail says why not otherwise."""
    try:
        response = client.get(f"{base_url.rstrip('/')}/readyz")
    except httpx.HTTPError as exc:
        return Readiness(False, f"unreachable ({type(exc).__name__})")
    if response.status_code == 200:
        return Readiness(True, "ready")
    return Readiness(False, f"HTTP {response.status_code}: {response.text[:200]}")


class AdminApiError(RuntimeError):
    """An admin call failed; the message carries the status and body."""


def list_dead_letters(client: httpx.Client, base_url: str, token: str) -> list[dict[str, Any]]:
    """GET `{base_url}/v1/admin/dead-letters`."""
    response = _call(client, "GET", f"{base_url.rstrip('/')}/v1/admin/dead-letters", token)
    body = response.json()
    if not isinstance(body, list):
        raise AdminApiError(f"expected a JSON list, got {type(body).__name__}")
    return body


def replay_dead_letter(client: httpx.Client, base_url: str, token: str, letter_id: str) -> Any:
    """POST `{base_url}/v1/admin/dead-letters/{id}/replay`; return the JSON answer, if any."""
    url = f"{base_url.rstrip('/')}/v1/admin/dead-letters/{letter_id}/replay"
    response = _call(client, "POST", url, token)
    return response.json() if response.content else None


def rebuild_projection(
    client: httpx.Client, base_url: str, token: str, projection: str
) -> dict[str, Any]:
    """POST `{base_url}/v1/admin/rebuilds/{projection}`: refill from snapshots, then swap."""
    url = f"{base_url.rstrip('/')}/v1/admin/rebuilds/{projection}"
    body = _call(client, "POST", url, token).json()
    if not isinstance(body, dict):
        raise AdminApiError(f"expected a JSON object, got {type(body).__name__}")
    return body


def _call(client: httpx.Client, method: str, url: str, token: str) -> httpx.Response:
    """An authorized request that raises AdminApiError unless it succeeds."""
    try:
        response = client.request(method, url, headers={"Authorization": f"Bearer {token}"})
    except httpx.HTTPError as exc:
        raise AdminApiError(f"{method} {url}: {type(exc).__name__}: {exc}") from exc
    if response.is_error:
        raise AdminApiError(f"{method} {url}: HTTP {response.status_code}: {response.text[:500]}")
    return response
