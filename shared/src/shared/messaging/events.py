"""The event contracts: the envelope and one payload model per subject of the catalog.

This module is the single place that says what each subject carries (ARCHITECTURE §4).
Adding an optional field is compatible; removing or renaming one is a new `version`.
"""

from datetime import datetime
from typing import Annotated, Any, ClassVar, Literal
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field

from shared.clock import SystemClock
from shared.types import (
    Count,
    Currency,
    Day,
    IanaTimezone,
    Identifier,
    LongText,
    MinorUnits,
    Minutes,
    PositiveCount,
    ShortText,
    Text,
    Timestamp,
    UserId,
    int_range,
    line,
)

EventType = Annotated[str, line(100, min_length=1)]
TraceId = Annotated[str, line(200, min_length=1)]
Url = Annotated[str, line(2_000)]
Rating = Annotated[int, int_range(ge=1, le=5)]
AverageRating = Annotated[float, Field(ge=0, le=5, allow_inf_nan=False)]
ValidityDays = Annotated[int, int_range(ge=1, le=3_650)]
Years = Annotated[int, int_range(ge=0, le=100)]
ReminderOffset = Annotated[int, int_range(ge=0, le=7 * 24 * 60)]
SessionStatusName = Literal["scheduled", "completed", "no_show", "canceled"]


class Event(BaseModel):
    """Base of every event payload; `subject` names the fact, past tense."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    subject: ClassVar[str]
    version: ClassVar[int] = 1


class Envelope(BaseModel):
    """What travels on the wire for every event; `id` is also the `Nats-Msg-Id`."""

    model_config = ConfigDict(frozen=True)

    id: UUID
    type: EventType
    version: Annotated[int, int_range(ge=1, le=1_000)]
    occurred_at: Timestamp
    producer: Identifier
    correlation_id: TraceId
    causation_id: TraceId | None = None
    data: dict[str, Any]

    @classmethod
    def wrap(
        cls,
        event: Event,
        *,
        producer: str,
        occurred_at: datetime | None = None,
        correlation_id: str | None = None,
        causation_id: str | None = None,
    ) -> "Envelope":
        event_id = uuid4()
        return cls(
            id=event_id,
            type=event.subject,
            version=event.version,
            occurred_at=occurred_at or SystemClock().now(),
            producer=producer,
            correlation_id=correlation_id or str(event_id),
            causation_id=causation_id,
            data=event.model_dump(mode="json"),
        )

    def payload(self) -> Event:
        """The typed payload for this envelope's subject."""
        return EVENTS[self.type].model_validate(self.data)


# ---- payments ---------------------------------------------------------------------------


class ProductUpdated(Event):
    subject = "product.updated"
    product_id: UUID
    mentor_id: UserId
    title: ShortText
    price_amount: MinorUnits = Field(description="minor units")
    currency: Currency
    sessions_count: PositiveCount
    session_minutes: Minutes
    validity_days: ValidityDays
    active: bool
    # The mentor's cheapest product on sale after this change (search shows it); None: none.
    mentor_lowest_price_amount: MinorUnits | None = None
    mentor_lowest_price_currency: Currency | None = None


class PackShape(BaseModel):
    """The product snapshot a pack is made from."""

    sessions_count: PositiveCount
    session_minutes: Minutes
    validity_days: ValidityDays


class PaymentSucceeded(Event):
    subject = "payment.succeeded"
    order_id: UUID
    student_id: UserId
    mentor_id: UserId
    product_id: UUID
    amount: MinorUnits
    currency: Currency
    provider: Literal["stripe", "paypal", "sandbox"]
    paid_at: Timestamp
    pack: PackShape


class PaymentFailed(Event):
    subject = "payment.failed"
    order_id: UUID
    student_id: UserId
    mentor_id: UserId
    reason: Text


class PaymentRefunded(Event):
    subject = "payment.refunded"
    order_id: UUID
    refund_id: UUID
    student_id: UserId
    mentor_id: UserId
    amount: MinorUnits
    currency: Currency
    full: bool
    refunded_at: Timestamp


# ---- packs ------------------------------------------------------------------------------


class PackPurchased(Event):
    subject = "pack.purchased"
    pack_id: UUID
    order_id: UUID
    seat_id: UUID
    student_id: UserId
    mentor_id: UserId
    sessions_total: PositiveCount
    session_minutes: Minutes
    expires_at: Timestamp
    renewal: bool


class PackPurchaseRejected(Event):
    subject = "pack.purchase_rejected"
    order_id: UUID
    student_id: UserId
    mentor_id: UserId
    reason: Text


class PackDepleted(Event):
    subject = "pack.depleted"
    pack_id: UUID
    student_id: UserId
    mentor_id: UserId


class PackExpired(Event):
    subject = "pack.expired"
    pack_id: UUID
    student_id: UserId
    mentor_id: UserId
    expired_at: Timestamp
    unused_credits: Count


class PackRevoked(Event):
    subject = "pack.revoked"
    pack_id: UUID
    order_id: UUID
    student_id: UserId
    mentor_id: UserId
    reason: Text


class PackRenewalDue(Event):
    subject = "pack.renewal_due"
    student_id: UserId
    mentor_id: UserId
    remaining: Count
    grace_ends_at: Timestamp | None = None


class SeatGraceStarted(Event):
    subject = "seat.grace_started"
    seat_id: UUID
    student_id: UserId
    mentor_id: UserId
    grace_ends_at: Timestamp


class SeatGraceExpiring(Event):
    subject = "seat.grace_expiring"
    seat_id: UUID
    student_id: UserId
    mentor_id: UserId
    grace_ends_at: Timestamp


class SeatReleased(Event):
    subject = "seat.released"
    seat_id: UUID
    student_id: UserId
    mentor_id: UserId
    reason: Literal["grace_over", "pack_expired", "refunded"]


class MentorCapacityChanged(Event):
    subject = "mentor.capacity_changed"
    mentor_id: UserId
    capacity: Count
    live_seats: Count
    open_seats: Count


# ---- booking ----------------------------------------------------------------------------


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


# ---- notifications ----------------------------------------------------------------------


class ContactDiscordConnected(Event):
    subject = "contact.discord_connected"
    user_id: UserId
    discord_id: Annotated[str, line(32, min_length=1)]


# ---- video ------------------------------------------------------------------------------


class VideoAttendance(Event):
    """A participant joined or left a session's video channel, as Agora reported it."""

    subject = "video.attendance"
    session_id: UUID
    user_id: UserId
    participant: Literal["mentor", "student"]
    action: Literal["joined", "left"]
    at: Timestamp


EVENTS: dict[str, type[Event]] = {
    model.subject: model
    for model in (
        ProductUpdated,
        PaymentSucceeded,
        PaymentFailed,
        PaymentRefunded,
        PackPurchased,
        PackPurchaseRejected,
        PackDepleted,
        PackExpired,
        PackRevoked,
        PackRenewalDue,
        SeatGraceStarted,
        SeatGraceExpiring,
        SeatReleased,
        MentorCapacityChanged,
        MentorUpdated,
        MentorAvailabilityChanged,
        SessionBooked,
        SessionRescheduled,
        SessionCanceled,
        SessionCompleted,
        SessionNoShow,
        SessionReminderDue,
        ReviewSubmitted,
        ContactDiscordConnected,
        VideoAttendance,
    )
}
