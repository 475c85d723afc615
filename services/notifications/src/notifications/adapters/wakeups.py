"""Postgres LISTEN on the channel the planner NOTIFYs: senders on every replica wake at commit."""

from collections.abc import Callable

import asyncpg
from sqlalchemy.engine import make_url

from notifications.adapters.deliveries import WAKE_CHANNEL
from shared.logging import get_logger

log = get_logger(__name__)


class Wakeups:
    """A dedicated asyncpg connection listening for due deliveries; polling covers its gaps."""

    def __init__(self, database_url: str, *, on_due: Callable[[str], None]) -> None:
        self._dsn = make_url(database_url).set(drivername="postgresql").render_as_string(False)
        self._on_due = on_due
        self._connection: asyncpg.Connection | None = None

    async def start(self) -> None:
        try:
            self._connection = await asyncpg.connect(self._dsn)
            await self._connection.add_listener(WAKE_CHANNEL, self._notified)
        except (OSError, asyncpg.PostgresError) as exc:
            log.warning("wakeups.unavailable", error=repr(exc))  # senders still poll

    def _notified(self, connection: object, pid: int, channel: str, payload: str) -> None:
        self._on_due(payload)

    async def stop(self) -> None:
        if self._connection is not None:
            await self._connection.close(timeout=2)
            self._connection = None
