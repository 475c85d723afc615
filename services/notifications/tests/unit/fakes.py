"""Notifications' fakes: its repositories in memory, on the kernel's fake unit of work (use
cases without Postgres), and Discord's HTTP API on loopback (for the integration tests).

The repositories answer as the SQL ones do (`notifications.adapters.repositories`), minus the
locks: an onboarding "another replica holds" is one in `taken`, which every claim skips.
"""

import asyncio
import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs
from uuid import UUID

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from notifications.domain.model import Channel, Contact, Delivery, DeliveryStatus, Kind
from notifications.domain.retries import Transition
from shared.clock import Clock
from shared.embedded.ports import free_port
from shared.testing.fakes import FakeUnitOfWork


class FakeContacts:
    def __init__(self) -> None:
        self.rows: dict[str, Contact] = {}

    def add(self, contact: Contact) -> Contact:
        self.rows[contact.user_id] = contact
        return contact

    async def get(self, user_id: str) -> Contact | None:
        return self.rows.get(user_id)

    async def get_many(self, user_ids: set[str]) -> dict[str, Contact]:
        return {user_id: self.rows[user_id] for user_id in user_ids if user_id in self.rows}

    async def upsert(
        self, user_id: str, *, now: datetime, create: dict[str, Any], change: dict[str, Any]
    ) -> Contact:
        known = self.rows.get(user_id)
        if known is None:
            return self.add(_contact(Contact(user_id), create, now))
        return self.add(_contact(known, change, now))

    async def change(
        self, user_id: str, *, now: datetime, values: dict[str, Any]
    ) -> Contact | None:
        known = self.rows.get(user_id)
        return None if known is None else self.add(_contact(known, values, now))

    async def add_channel(self, user_id: str, channel: Channel) -> None:
        known = self.rows.get(user_id)
        if known is not None and channel not in known.channels:
            self.add(replace(known, channels=(*known.channels, channel)))

    async def erase(self, user_id: str) -> bool:
        return self.rows.pop(user_id, None) is not None


def _contact(contact: Contact, values: dict[str, Any], now: datetime) -> Contact:
    values = dict(values)
    if "channels" in values:
        values["channels"] = tuple(Channel(c) for c in values["channels"])
    if "kind_channels" in values:
        chosen = values["kind_channels"].items()
        values["kind_channels"] = {Kind(k): tuple(Channel(c) for c in v) for k, v in chosen}
    return replace(contact, **values, updated_at=now)


class FakeDeliveries:
    """Keyed by (event, channel, recipient) as the table's unique constraint is."""

    def __init__(self) -> None:
        self.rows: dict[UUID, Delivery] = {}
        self.woken: list[set[Channel]] = []

    def all(self, **where: Any) -> list[Delivery]:
        return [
            d
            for d in self.rows.values()
            if all(getattr(d, name) == value for name, value in where.items())
        ]

    async def add_planned(self, planned: Sequence[Delivery]) -> list[Delivery]:
        keys = {(d.event_id, d.channel, d.recipient) for d in self.rows.values()}
        new = []
        for delivery in planned:
            key = (delivery.event_id, delivery.channel, delivery.recipient)
            if key not in keys:
                keys.add(key)
                self.rows[delivery.delivery_id] = delivery
                new.append(delivery)
        return new

    async def wake_senders(self, channels: set[Channel]) -> None:
        self.woken.append(set(channels))

    async def claim_due(
        self, channel: Channel, *, now: datetime, lease: timedelta, limit: int
    ) -> list[Delivery]:
        due = sorted(
            (d for d in self.rows.values() if _due(d, channel, now)),
            key=lambda d: d.next_attempt_at or now,
        )[:limit]
        claimed = [replace(d, attempts=d.attempts + 1, lease_until=now + lease) for d in due]
        for delivery in claimed:
            self.rows[delivery.delivery_id] = delivery
        return claimed

    async def settle_many(
        self, settlements: Sequence[tuple[Delivery, Transition]], *, now: datetime
    ) -> set[UUID]:
        settled = set()
        for delivery, transition in settlements:
            known = self.rows[delivery.delivery_id]
            if known.status is not DeliveryStatus.pending or known.attempts != delivery.attempts:
                continue
            self.rows[delivery.delivery_id] = replace(
                known,
                status=transition.status,
                lease_until=None,
                next_attempt_at=transition.next_attempt_at,
                sent_at=now if transition.status is DeliveryStatus.sent else None,
                provider_message_id=transition.provider_message_id or known.provider_message_id,
                last_error=transition.error or known.last_error,
            )
            settled.add(delivery.delivery_id)
        return settled

    async def get(self, delivery_id: UUID, *, lock: bool = False) -> Delivery | None:
        return self.rows.get(delivery_id)

    async def requeue(self, delivery_id: UUID, *, now: datetime, extra: int) -> Delivery:
        known = self.rows[delivery_id]
        self.rows[delivery_id] = replace(
            known,
            status=DeliveryStatus.pending,
            next_attempt_at=now,
            lease_until=None,
            attempt_limit=known.attempts + extra,
        )
        return self.rows[delivery_id]

    async def bury_lost_last_attempts(self, *, now: datetime) -> int:
        raise NotImplementedError("the lease runs on Postgres' clock: an integration test")

    async def forget_addresses(self, recipient: str) -> None:
        for delivery in self.all(recipient=recipient):
            self.rows[delivery.delivery_id] = replace(delivery, address=None)


def _due(delivery: Delivery, channel: Channel, now: datetime) -> bool:
    return (
        delivery.status is DeliveryStatus.pending
        and delivery.channel is channel
        and delivery.next_attempt_at is not None
        and delivery.next_attempt_at <= now
        and delivery.attempts < delivery.attempt_limit
        and (delivery.lease_until is None or delivery.lease_until < now)
    )


class FakeOnboarding:
    def __init__(self) -> None:
        self.remind_at: dict[str, datetime] = {}
        self.reminded: set[str] = set()
        self.connected: set[str] = set()
        self.taken: set[str] = set()

    async def start(
        self,
        student_id: str,
        *,
        event_id: UUID,
        now: datetime,
        remind_at: datetime,
        connected: bool,
    ) -> bool:
        if student_id in self.remind_at:
            return False
        self.remind_at[student_id] = remind_at
        if connected:
            self.connected.add(student_id)
        return True

    async def due_reminders(self, *, now: datetime, limit: int) -> list[str]:
        due = sorted((s for s in self.remind_at if self._due(s, now)), key=self.remind_at.get)
        return due[:limit]

    async def claim_due_reminder(self, student_id: str, *, now: datetime) -> bool:
        return student_id not in self.taken and self._due(student_id, now)

    async def mark_reminded(self, student_id: str, *, now: datetime) -> None:
        self.reminded.add(student_id)

    async def mark_connected(self, student_id: str, *, now: datetime) -> None:
        if student_id in self.remind_at:
            self.connected.add(student_id)

    async def erase(self, student_id: str) -> None:
        self.remind_at.pop(student_id, None)
        self.reminded.discard(student_id)
        self.connected.discard(student_id)

    def _due(self, student_id: str, now: datetime) -> bool:
        return (
            student_id in self.remind_at
            and self.remind_at[student_id] <= now
            and student_id not in self.reminded
            and student_id not in self.connected
        )


class FakeNames:
    def __init__(self) -> None:
        self.rows: dict[str, tuple[str, datetime]] = {}

    async def get_many(self, user_ids: set[str]) -> dict[str, str]:
        return {user_id: self.rows[user_id][0] for user_id in user_ids if user_id in self.rows}

    async def remember(self, mentor_id: str, *, display_name: str, occurred_at: datetime) -> None:
        known = self.rows.get(mentor_id)
        if known is None or known[1] <= occurred_at:
            self.rows[mentor_id] = (display_name, occurred_at)

    async def forget(self, mentor_id: str) -> None:
        self.rows.pop(mentor_id, None)


class FakeNotificationsUnitOfWork(FakeUnitOfWork):
    """`NotificationsUnitOfWork` in memory. Only events roll back: the repositories keep every
    change (a use case that raises after writing is a test of the real one, on Postgres)."""

    def __init__(self, *, clock: Clock) -> None:
        super().__init__(producer="notifications", clock=clock)
        self.contacts = FakeContacts()
        self.deliveries = FakeDeliveries()
        self.onboarding = FakeOnboarding()
        self.names = FakeNames()


class FakeDiscord:
    """Discord's HTTP API on loopback: DM channels, channel messages, webhooks, OAuth."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, dict, float]] = []
        self.scripted: list[tuple[int, dict, dict]] = []  # next responses to messages
        self.users = {"good-code": "987654321098765432"}
        self.app = self._build()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/api/v10"

    def reply_next(self, status: int, body: dict, headers: dict | None = None) -> None:
        self.scripted.append((status, body, headers or {}))

    def posted(self, kind: str) -> list[dict]:
        return [body for path_kind, _, body, _ in self.requests if path_kind == kind]

    def _build(self) -> FastAPI:
        app = FastAPI()

        async def record(kind: str, request: Request) -> dict:
            if kind == "token":  # a form, as OAuth2 sends it
                body = {k: v[0] for k, v in parse_qs((await request.body()).decode()).items()}
            else:
                body = await request.json()
            self.requests.append((kind, request.url.path, body, asyncio.get_running_loop().time()))
            return body

        def scripted_or(default: dict) -> JSONResponse:
            if self.scripted:
                status, body, headers = self.scripted.pop(0)
                return JSONResponse(body, status_code=status, headers=headers)
            return JSONResponse(default)

        @app.post("/api/v10/users/@me/channels")
        async def open_dm(request: Request):
            body = await record("dm", request)
            return {"id": f"dm-{body['recipient_id']}", "type": 1}

        @app.post("/api/v10/channels/{channel_id}/messages")
        async def message(channel_id: str, request: Request):
            await record("message", request)
            return scripted_or({"id": str(uuid.uuid4().int)[:18], "channel_id": channel_id})

        @app.post("/api/v10/webhooks/{webhook_id}/{token}")
        async def webhook(webhook_id: str, token: str, request: Request):
            await record("webhook", request)
            return scripted_or({"id": str(uuid.uuid4().int)[:18], "webhook_id": webhook_id})

        @app.post("/api/v10/oauth2/token")
        async def token(request: Request):
            body = await record("token", request)
            if body.get("code") not in self.users:
                return JSONResponse({"error": "invalid_grant"}, status_code=400)
            return {"access_token": f"access-{body['code']}", "token_type": "Bearer"}

        @app.get("/api/v10/users/@me")
        async def me(request: Request):
            code = request.headers["authorization"].removeprefix("Bearer access-")
            return {"id": self.users[code], "username": "ada"}

        return app
