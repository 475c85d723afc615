"""What the use cases need from outside: packs (credits) and the mentor's calendar."""

from datetime import datetime
from typing import Protocol
from uuid import UUID

from booking.domain.availability import Interval
from booking.domain.calendar import CalendarBusy, CalendarEntry, CalendarStatus
from shared.db import DbConnection
from shared.messaging import packs_requests as contract


class Calendar(Protocol):
    async def busy(self, mentor_id: str, during: Interval) -> CalendarBusy:
        """Busy time of the mentor's calendar in `during` (all-day events included)."""
        ...

    async def put_event(self, mentor_id: str, entry: CalendarEntry) -> bool:
        """Create or move the session's event; False if the mentor has no calendar."""
        ...

    async def remove_event(self, mentor_id: str, session_id: UUID) -> bool: ...

    async def connect(
        self, connection: DbConnection, *, mentor_id: str, refresh_token: str, now: datetime
    ) -> None: ...

    async def disconnect(self, connection: DbConnection, *, mentor_id: str) -> bool: ...


class NoCalendar:
    """No calendar provider configured: every mentor is simply not connected."""

    async def busy(self, mentor_id: str, during: Interval) -> CalendarBusy:
        return CalendarBusy(CalendarStatus.not_connected)

    async def put_event(self, mentor_id: str, entry: CalendarEntry) -> bool:
        return False

    async def remove_event(self, mentor_id: str, session_id: UUID) -> bool:
        return False

    async def connect(
        self, connection: DbConnection, *, mentor_id: str, refresh_token: str, now: datetime
    ) -> None:
        raise RuntimeError("no calendar provider")

    async def disconnect(self, connection: DbConnection, *, mentor_id: str) -> bool:
        return False


class Packs(Protocol):
    async def reserve(
        self, *, session_id: UUID, student_id: str, mentor_id: str, starts_at: datetime
    ) -> contract.CreditReserveReply: ...

    async def release(self, session_id: UUID) -> str: ...

    async def eligibility(
        self, *, student_id: str, mentor_id: str, starts_at: datetime | None = None
    ) -> contract.EligibilityReply: ...


class CalendarConnector(Protocol):
    """Connecting a mentor's calendar (Google OAuth), when this deployment has credentials."""

    def consent_url(self, mentor_id: str, *, now: datetime) -> str: ...

    def mentor_of_state(self, state: str, *, now: datetime) -> str: ...

    def exchange_code(self, code: str) -> str:
        """The refresh token for an authorization code (blocking I/O)."""
        ...
