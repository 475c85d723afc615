"""A mentor's Google Calendar through google-api-python-client: free/busy and session events.

The client library is synchronous (httplib2), so every call runs in a worker thread.
Event ids are derived from the session id, so a retried insert can never make a second event.
"""

import asyncio
import base64
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import httplib2  # type: ignore[import-untyped]
from google.auth.exceptions import GoogleAuthError
from google.oauth2.credentials import Credentials
from google_auth_httplib2 import AuthorizedHttp
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert

from booking.adapters.google.oauth import SCOPES, TOKEN_URI, HttpFactory
from booking.adapters.google.token_vault import TokenVault
from booking.adapters.tables import calendar_connections
from booking.domain.availability import Interval
from booking.domain.calendar import CalendarBusy, CalendarEntry, CalendarStatus
from shared.clock import Clock
from shared.db import ConnectionFactory, DbConnection
from shared.logging import get_logger

log = get_logger(__name__)

UNREACHABLE = (HttpError, GoogleAuthError, httplib2.HttpLib2Error, OSError, TimeoutError)


def event_id(session_id: UUID) -> str:
    """Google's event id alphabet is base32hex (a–v, 0–9), 5–1024 characters: 26 here."""
    return base64.b32hexencode(session_id.bytes).decode().rstrip("=").lower()


@dataclass(frozen=True)
class Connection:
    refresh_token: str
    calendar_id: str


class GoogleCalendar:
    def __init__(
        self,
        *,
        connections: ConnectionFactory,
        vault: TokenVault,
        client_id: str,
        client_secret: str,
        http: HttpFactory,
        clock: Clock,
        cache_seconds: float,
    ) -> None:
        self._connections = connections
        self._vault = vault
        self._client_id = client_id
        self._client_secret = client_secret
        self._http = http
        self._clock = clock
        self._cache_for = timedelta(seconds=cache_seconds)
        self._cache: dict[tuple[str, datetime, datetime], tuple[datetime, CalendarBusy]] = {}
        self._credentials: dict[str, Credentials] = {}

    # ---- connection --------------------------------------------------------------------

    async def connect(
        self, connection: DbConnection, *, mentor_id: str, refresh_token: str, now: datetime
    ) -> None:
        """Store (or replace) the mentor's refresh token, encrypted."""
        sealed = self._vault.seal(refresh_token)
        statement = insert(calendar_connections).values(
            mentor_id=mentor_id, encrypted_refresh_token=sealed, connected_at=now
        )
        await connection.execute(
            statement.on_conflict_do_update(
                index_elements=["mentor_id"],
                set_={"encrypted_refresh_token": sealed, "connected_at": now},
            )
        )
        self._forget(mentor_id)

    async def disconnect(self, connection: DbConnection, *, mentor_id: str) -> bool:
        result = await connection.execute(
            delete(calendar_connections).where(calendar_connections.c.mentor_id == mentor_id)
        )
        self._forget(mentor_id)
        return result.rowcount > 0

    async def _connection(self, mentor_id: str) -> Connection | None:
        async with self._connections() as connection:
            row = (
                await connection.execute(
                    select(calendar_connections).where(
                        calendar_connections.c.mentor_id == mentor_id
                    )
                )
            ).first()
        if row is None:
            return None
        return Connection(self._vault.open(row.encrypted_refresh_token), row.calendar_id)

    def _service(self, connection: Connection) -> Any:
        # One Credentials per refresh token: its access token is reused until it expires.
        credentials = self._credentials.get(connection.refresh_token)
        if credentials is None:
            credentials = Credentials(  # type: ignore[no-untyped-call]
                None,
                refresh_token=connection.refresh_token,
                token_uri=TOKEN_URI,
                client_id=self._client_id,
                client_secret=self._client_secret,
                scopes=list(SCOPES),
            )
            self._credentials[connection.refresh_token] = credentials
        http = AuthorizedHttp(credentials, http=self._http())
        return build("calendar", "v3", http=http, cache_discovery=False, static_discovery=True)

    # ---- free/busy ---------------------------------------------------------------------

    async def busy(self, mentor_id: str, during: Interval) -> CalendarBusy:
        """Busy time (all-day busy events included), cached for a short while."""
        key = (mentor_id, during.start, during.end)
        now = self._clock.now()
        cached = self._cache.get(key)
        if cached is not None and cached[0] > now:
            return cached[1]
        connection = await self._connection(mentor_id)
        if connection is None:
            return CalendarBusy(CalendarStatus.not_connected)
        try:
            answer = await asyncio.to_thread(self._free_busy, connection, during)
        except UNREACHABLE as exc:
            log.warning("calendar.unreachable", mentor_id=mentor_id, error=repr(exc))
            return CalendarBusy(CalendarStatus.unavailable)
        self._cache[key] = (now + self._cache_for, answer)
        return answer

    def _free_busy(self, connection: Connection, during: Interval) -> CalendarBusy:
        body = {
            "timeMin": during.start.isoformat(),
            "timeMax": during.end.isoformat(),
            "items": [{"id": connection.calendar_id}],
        }
        result = self._service(connection).freebusy().query(body=body).execute()
        calendar = result["calendars"][connection.calendar_id]
        if calendar.get("errors"):
            raise HttpError(httplib2.Response({"status": 502}), str(calendar["errors"]).encode())
        return CalendarBusy(
            CalendarStatus.ok,
            [
                Interval(datetime.fromisoformat(b["start"]), datetime.fromisoformat(b["end"]))
                for b in calendar.get("busy", [])
            ],
        )

    def _forget(self, mentor_id: str) -> None:
        for key in [k for k in self._cache if k[0] == mentor_id]:
            del self._cache[key]

    # ---- session events ----------------------------------------------------------------

    async def put_event(self, mentor_id: str, entry: CalendarEntry) -> bool:
        """Create or move the session's event; False if the mentor has no calendar."""
        connection = await self._connection(mentor_id)
        if connection is None:
            return False
        await asyncio.to_thread(self._put, connection, entry)
        self._forget(mentor_id)
        return True

    def _put(self, connection: Connection, entry: CalendarEntry) -> None:
        events = self._service(connection).events()
        body = {
            "id": event_id(entry.session_id),
            "summary": entry.summary,
            "description": entry.description,
            "start": {"dateTime": entry.starts_at.isoformat(), "timeZone": entry.timezone},
            "end": {"dateTime": entry.ends_at.isoformat(), "timeZone": entry.timezone},
            "status": "confirmed",
        }
        try:
            events.insert(calendarId=connection.calendar_id, body=body).execute()
        except HttpError as exc:
            if exc.resp.status != 409:  # 409: the event exists (a retry, or a move)
                raise
            events.update(
                calendarId=connection.calendar_id, eventId=body["id"], body=body
            ).execute()

    async def remove_event(self, mentor_id: str, session_id: UUID) -> bool:
        connection = await self._connection(mentor_id)
        if connection is None:
            return False
        await asyncio.to_thread(self._remove, connection, session_id)
        self._forget(mentor_id)
        return True

    def _remove(self, connection: Connection, session_id: UUID) -> None:
        try:
            self._service(connection).events().delete(
                calendarId=connection.calendar_id, eventId=event_id(session_id)
            ).execute()
        except HttpError as exc:
            if exc.resp.status not in (404, 410):  # gone already: a retry
                raise
