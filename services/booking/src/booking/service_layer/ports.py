"""What the use cases need from outside: packs (credits) and the mentor's calendar."""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol
from uuid import UUID

from booking.domain.availability import Interval
from shared.messaging import packs_requests as contract


class CalendarStatus(StrEnum):
    not_connected = "not_connected"
    ok = "ok"
    unavailable = "unavailable"  # connected, but the provider did not answer: nothing is free


@dataclass(frozen=True)
class CalendarBusy:
    status: CalendarStatus
    intervals: list[Interval] = field(default_factory=list)


class Calendar(Protocol):
    async def busy(self, mentor_id: str, during: Interval) -> CalendarBusy:
        """Busy time of the mentor's calendar in `during` (all-day events included)."""
        ...


class NoCalendar:
    """No calendar provider configured: every mentor is simply not connected."""

    async def busy(self, mentor_id: str, during: Interval) -> CalendarBusy:
        return CalendarBusy(CalendarStatus.not_connected)


class Packs(Protocol):
    async def reserve(
        self, *, session_id: UUID, student_id: str, mentor_id: str, starts_at: datetime
    ) -> contract.CreditReserveReply: ...

    async def release(self, session_id: UUID) -> str: ...

    async def eligibility(
        self, *, student_id: str, mentor_id: str, starts_at: datetime | None = None
    ) -> contract.EligibilityReply: ...
