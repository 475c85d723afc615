"""Video's view of a session, kept order-safe: an older fact never overwrites a newer one."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID


class SessionStatus(StrEnum):
    scheduled = "scheduled"
    canceled = "canceled"
    completed = "completed"
    no_show = "no_show"


def _rank(status: SessionStatus | None) -> int:
    """Breaks ties between facts of the same instant: an ending outranks `scheduled`."""
    if status is None:
        return -1
    return 0 if status is SessionStatus.scheduled else 1


@dataclass
class SessionView:
    """Times and status are separate facts, each stamped with when it happened at booking.

    A fact seen before the one it follows (a cancel before its booking) leaves the other
    part unknown (None) until that arrives.
    """

    session_id: UUID
    mentor_id: str
    student_id: str
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    times_at: datetime | None = None
    status: SessionStatus | None = None
    status_at: datetime | None = None

    def move(self, *, starts_at: datetime, ends_at: datetime, at: datetime) -> bool:
        """Take these times unless newer ones are known; True if anything changed."""
        if self.times_at is not None and at <= self.times_at:
            return False
        self.starts_at, self.ends_at, self.times_at = starts_at, ends_at, at
        return True

    def set_status(self, status: SessionStatus, *, at: datetime) -> bool:
        """Take this status unless a newer one is known; True if anything changed."""
        if self.status_at is not None and (at, _rank(status)) <= (
            self.status_at,
            _rank(self.status),
        ):
            return False
        self.status, self.status_at = status, at
        return True
