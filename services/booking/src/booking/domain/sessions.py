"""The session lifecycle: scheduled, then completed, no-show or canceled — each only once."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from booking.domain.errors import IllegalTransition, NotYourSession, SessionNotScheduled


class SessionStatus(StrEnum):
    scheduled = "scheduled"
    completed = "completed"
    no_show = "no_show"
    canceled = "canceled"


class Actor(StrEnum):
    """Who canceled: a participant, or the system (a revoked pack)."""

    student = "student"
    mentor = "mentor"
    system = "system"


@dataclass
class Session:
    id: UUID
    mentor_id: str
    student_id: str
    pack_id: UUID
    starts_at: datetime
    ends_at: datetime
    status: SessionStatus
    topic: str
    join_url: str
    mentor_timezone: str
    sequence: int = 0
    notes: str = ""
    recording_url: str | None = None
    completed_at: datetime | None = None
    canceled_at: datetime | None = None
    canceled_by: Actor | None = None
    cancel_reason: str = ""
    late: bool = False

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at

    def cancel(self, *, by: Actor, now: datetime, reason: str, late_window: timedelta) -> bool:
        """Cancel; a student inside the window cancels late (the credit is forfeited).

        False if it was canceled already (a repeated request); refused once held, and for the
        student once started.
        """
        if self.status is SessionStatus.canceled:
            return False
        if self.status is not SessionStatus.scheduled:
            raise IllegalTransition(f"a {self.status} session cannot be canceled")
        if by is Actor.student and now >= self.starts_at:
            # Once it has started the mentor records what happened (a mentor who did not come
            # cancels, which gives the credit back).
            raise IllegalTransition("a session that has started cannot be canceled by the student")
        self.status = SessionStatus.canceled
        self.canceled_at = now
        self.canceled_by = by
        self.cancel_reason = reason
        self.late = by is Actor.student and self.starts_at - now < late_window
        return True

    def settle(self, outcome: SessionStatus, *, now: datetime) -> bool:
        """Record `completed` or `no_show` once the session has started; False if already so."""
        if outcome not in (SessionStatus.completed, SessionStatus.no_show):
            raise IllegalTransition(f"{outcome} is not an outcome of a held session")
        if self.status is outcome:
            return False
        if self.status is not SessionStatus.scheduled:
            raise IllegalTransition(f"a {self.status} session cannot become {outcome}")
        if now < self.starts_at:
            raise IllegalTransition(f"a session that has not started cannot be {outcome}")
        self.status = outcome
        if outcome is SessionStatus.completed:
            self.completed_at = now
        return True

    def reschedule(self, *, starts_at: datetime, ends_at: datetime) -> datetime:
        """Move the session; returns the previous start. Its calendar sequence goes up."""
        if self.status is not SessionStatus.scheduled:
            raise SessionNotScheduled(f"a {self.status} session cannot be rescheduled")
        previous = self.starts_at
        self.starts_at, self.ends_at = starts_at, ends_at
        self.sequence += 1
        return previous


def reminder_times(
    starts_at: datetime, *, offsets: tuple[timedelta, ...], now: datetime
) -> list[tuple[int, datetime]]:
    """(offset in minutes, due at) for every offset still ahead; a past one is never sent."""
    return [
        (int(offset.total_seconds() // 60), starts_at - offset)
        for offset in offsets
        if starts_at - offset > now
    ]


def reminder_too_late(starts_at: datetime, *, now: datetime) -> bool:
    """A reminder found after its session started (a job pause, a clock jump) is not sent."""
    return now >= starts_at


def participant(session: Session, user_id: str) -> Actor:
    """The user's part in the session (its student or its mentor); anyone else is refused."""
    if user_id == session.student_id:
        return Actor.student
    if user_id == session.mentor_id:
        return Actor.mentor
    raise NotYourSession("only the session's student or mentor may see or change it")


def check_mentor(session: Session, user_id: str) -> None:
    """Only the session's mentor records what happened."""
    if user_id != session.mentor_id:
        raise NotYourSession("only the session's mentor may update it")


def check_student(session: Session, user_id: str) -> None:
    """Only the session's student reviews it."""
    if user_id != session.student_id:
        raise NotYourSession("only the session's student may review it")
