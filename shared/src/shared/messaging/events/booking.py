"""The events booking publishes: the module a payload lives in names its producer."""

from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field

from shared.messaging.events.base import (
    AverageRating,
    Event,
    Rating,
    ReminderOffset,
    SessionStatusName,
    Url,
    Years,
)
from shared.types import (
    Count,
    Currency,
    Day,
    IanaTimezone,
    LongText,
    MinorUnits,
    ShortText,
    Text,
    Timestamp,
    UserId,
)


class MentorUpdated(Event):
    subject = "mentor.updated"
    mentor_id: UserId
    display_name: ShortText
    title: ShortText = ""
    company: ShortText = ""
    bio: LongText = ""
    specialties: Annotated[list[ShortText], Field(max_length=50)] = []
    job_family: ShortText = ""
    years_experience: Years = 0
    timezone: IanaTimezone
    accepting_students: bool = True
    price_amount: MinorUnits | None = None
    currency: Currency | None = None


class MentorAvailabilityChanged(Event):
    subject = "mentor.availability_changed"
    mentor_id: UserId
    next_available_at: Timestamp | None
    available_days: Annotated[list[Day], Field(max_length=366)]


class SessionEvent(Event):
    session_id: UUID
    mentor_id: UserId
    student_id: UserId


class SessionBooked(SessionEvent):
    subject = "session.booked"
    pack_id: UUID
    starts_at: Timestamp
    ends_at: Timestamp
    join_url: Url
    mentor_timezone: IanaTimezone
    topic: ShortText = ""
    status: SessionStatusName = "scheduled"


class SessionRescheduled(SessionEvent):
    subject = "session.rescheduled"
    previous_starts_at: Timestamp
    starts_at: Timestamp
    ends_at: Timestamp
    sequence: Count
    previous_ends_at: Timestamp | None = None
    topic: ShortText = ""
    join_url: Url = ""
    mentor_timezone: IanaTimezone | None = None
    status: SessionStatusName = "scheduled"


class SessionCanceled(SessionEvent):
    subject = "session.canceled"
    starts_at: Timestamp
    canceled_by: Literal["student", "mentor", "system"]
    late: bool
    reason: Text = ""
    ends_at: Timestamp | None = None
    topic: ShortText = ""
    status: SessionStatusName = "canceled"


class SessionCompleted(SessionEvent):
    subject = "session.completed"
    completed_at: Timestamp
    starts_at: Timestamp | None = None
    ends_at: Timestamp | None = None
    status: SessionStatusName = "completed"


class SessionNoShow(SessionEvent):
    subject = "session.no_show"
    recorded_at: Timestamp
    starts_at: Timestamp | None = None
    ends_at: Timestamp | None = None
    status: SessionStatusName = "no_show"


class SessionReminderDue(SessionEvent):
    subject = "session.reminder_due"
    starts_at: Timestamp
    offset_minutes: ReminderOffset
    ends_at: Timestamp | None = None
    topic: ShortText = ""
    join_url: Url = ""
    mentor_timezone: IanaTimezone | None = None


class ReviewSubmitted(Event):
    subject = "review.submitted"
    review_id: UUID
    session_id: UUID
    mentor_id: UserId
    student_id: UserId
    rating: Rating
    average_rating: AverageRating
    review_count: Count
