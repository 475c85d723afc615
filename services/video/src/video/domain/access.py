"""Who may join a session's video, and when: its two participants, around its time."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from video.domain.errors import NotAParticipant, SessionNotScheduled, TooEarly, TooLate
from video.domain.sessions import SessionStatus, SessionView


class Participant(StrEnum):
    mentor = "mentor"
    student = "student"


@dataclass(frozen=True)
class JoinPolicy:
    opens_before_start: timedelta = timedelta(minutes=15)
    closes_after_end: timedelta = timedelta(minutes=15)


@dataclass(frozen=True)
class JoinWindow:
    opens_at: datetime
    closes_at: datetime


@dataclass(frozen=True)
class Admission:
    """A participant let in now; the token must expire when the window closes."""

    participant: Participant
    window: JoinWindow


def participant_of(view: SessionView, *, user_id: str, role: str) -> Participant:
    """The caller's part in the session: the mentor as a mentor, the student as a student."""
    if role == Participant.mentor and user_id == view.mentor_id:
        return Participant.mentor
    if role == Participant.student and user_id == view.student_id:
        return Participant.student
    raise NotAParticipant("only this session's mentor and student may join it")


def may_see_session(view: SessionView, *, user_id: str, is_admin: bool) -> bool:
    """A session as video sees it: for its two participants and admins."""
    return is_admin or user_id in (view.mentor_id, view.student_id)


def may_see_joins(view: SessionView, *, user_id: str, role: str, is_admin: bool) -> bool:
    """Tokens issued and attendance: for the session's mentor (as a mentor) and admins."""
    return is_admin or (role == Participant.mentor and user_id == view.mentor_id)


def admit(
    view: SessionView | None, *, user_id: str, role: str, now: datetime, policy: JoinPolicy
) -> Admission:
    """Checked in this order: participant, scheduled, not too early, not too late."""
    if view is None:
        raise SessionNotScheduled("video knows no scheduled session with this id")
    participant = participant_of(view, user_id=user_id, role=role)
    starts_at, ends_at = view.starts_at, view.ends_at
    if view.status is not SessionStatus.scheduled or starts_at is None or ends_at is None:
        raise SessionNotScheduled(f"the session is {view.status or 'not scheduled yet'}")
    window = JoinWindow(
        opens_at=starts_at - policy.opens_before_start,
        closes_at=ends_at + policy.closes_after_end,
    )
    if now < window.opens_at:
        raise TooEarly(window.opens_at)
    if now > window.closes_at:
        raise TooLate(window.closes_at)
    return Admission(participant=participant, window=window)
