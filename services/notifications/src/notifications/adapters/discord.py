"""Discord over httpx: bot DMs (open the DM channel, post) and channel webhooks.

Honours 429 `retry_after` and the rate-limit headers (a route whose bucket is empty waits for
its reset); `allowed_mentions` is always empty, so no message ever pings anyone.
"""

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from notifications.domain.retries import Permanent, SendResult, Sent, Transient
from notifications.domain.routing import is_webhook

NO_MENTIONS: dict[str, list[str]] = {"parse": []}
LONGEST_WAIT_SECONDS = 10.0  # a longer rate-limit wait is rescheduled instead of slept


class _Refused(Exception):
    def __init__(self, result: SendResult) -> None:
        self.result = result


@dataclass
class RateLimits:
    """Per route, the monotonic moment before which no request may go."""

    blocked_until: dict[str, float] = field(default_factory=dict)

    def wait_for(self, route: str) -> float:
        return max(0.0, self.blocked_until.get(route, 0.0) - time.monotonic())

    def observe(self, route: str, response: httpx.Response) -> None:
        headers = response.headers
        if headers.get("x-ratelimit-remaining") == "0" and "x-ratelimit-reset-after" in headers:
            self._block(route, float(headers["x-ratelimit-reset-after"]))
        if response.status_code == 429:
            self._block(route, retry_after(response))

    def _block(self, route: str, seconds: float) -> None:
        until = time.monotonic() + seconds
        self.blocked_until[route] = max(until, self.blocked_until.get(route, 0.0))


def retry_after(response: httpx.Response) -> float:
    try:
        return float(response.json()["retry_after"])
    except (ValueError, KeyError, TypeError):
        return float(response.headers.get("retry-after", "1"))


class DiscordClient:
    def __init__(self, *, http: httpx.AsyncClient, api_url: str, bot_token: str) -> None:
        self._http = http
        self._api = api_url.rstrip("/")
        self._auth = {"Authorization": f"Bot {bot_token}"}
        self._dm_channels: dict[str, str] = {}
        self.limits = RateLimits()

    async def send(self, address: str, content: str) -> SendResult:
        """Post `content` to a webhook URL or as a DM to a Discord user id."""
        try:
            if is_webhook(address):
                url = self._webhook_url(address)
                message = await self._post(
                    f"webhook:{url}", url, params={"wait": "true"}, json=_body(content)
                )
            else:
                channel = await self._dm_channel(address)
                message = await self._post(
                    f"channel:{channel}",
                    f"{self._api}/channels/{channel}/messages",
                    headers=self._auth,
                    json=_body(content),
                )
        except _Refused as refused:
            return refused.result
        except httpx.HTTPError as exc:
            return Transient(f"{exc.__class__.__name__}: {exc}")
        return Sent(str(message.get("id", "")))

    def _webhook_url(self, registered: str) -> str:
        """Execute the webhook on the configured API (its id and token, our base URL)."""
        webhook_id, token = registered.rstrip("/").split("/")[-2:]
        return f"{self._api}/webhooks/{webhook_id}/{token}"

    async def _dm_channel(self, user_id: str) -> str:
        if user_id not in self._dm_channels:
            channel = await self._post(
                "dm-open",
                f"{self._api}/users/@me/channels",
                headers=self._auth,
                json={"recipient_id": user_id},
            )
            self._dm_channels[user_id] = str(channel["id"])
        return self._dm_channels[user_id]

    async def _post(self, route: str, url: str, **kwargs: Any) -> dict[str, Any]:
        wait = self.limits.wait_for(route)
        if wait > LONGEST_WAIT_SECONDS:
            raise _Refused(Transient("rate limited", retry_after=wait))
        if wait:
            await asyncio.sleep(wait)
        response = await self._http.post(url, **kwargs)
        self.limits.observe(route, response)
        if response.is_success:
            return response.json() if response.content else {}
        raise _Refused(_failure(response))


def _body(content: str) -> dict[str, Any]:
    return {"content": content[:2000], "allowed_mentions": NO_MENTIONS}


def _failure(response: httpx.Response) -> SendResult:
    """403/404 and other refusals of the request itself are permanent; 401, 429, 5xx retry."""
    error = f"discord {response.status_code}: {response.text[:200]}"
    if response.status_code == 429:
        return Transient(error, retry_after=retry_after(response))
    if response.status_code == 401 or response.status_code >= 500:
        return Transient(error)
    return Permanent(error)
