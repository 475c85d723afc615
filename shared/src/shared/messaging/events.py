"""The event contracts: the envelope and one payload model per subject of the catalog.

This module is the single place that says what each subject carries (ARCHITECTURE §4).
Adding an optional field is compatible; removing or renaming one is a new `version`.
"""

from datetime import date, datetime
from typing import ClassVar, Literal
from uuid import UUID, uuid4

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from shared.clock import SystemClock


class Event(BaseModel):
    """Base of every event payload; `subject` names the fact, past tense."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    subject: ClassVar[str]
    version: ClassVar[int] = 1


class Envelope(BaseModel):
    """What travels on the wire for every event; `id` is also the `Nats-Msg-Id`."""

    model_config = ConfigDict(frozen=True)

    id: UUID
    type: str
    version: int
    occurred_at: AwareDatetime
    producer: str
    correlation_id: str
    causation_id: str | None = None
    data: dict

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
    mentor_id: str
    title: str
    price_amount: int = Field(description="minor units")
    currency: str
    sessions_count: int
    session_minutes: int
    validity_days: int
    active: bool


class PackShape(BaseModel):
    """The product snapshot a pack is made from."""

    sessions_count: int = Field(gt=0)
    session_minutes: int = Field(gt=0)
    validity_days: int = Field(gt=0)


class PaymentSucceeded(Event):
    subject = "payment.succeeded"
    order_id: UUID
    student_id: str
    mentor_id: str
    product_id: UUID
    amount: int
    currency: str
    provider: Literal["stripe", "paypal"]
    paid_at: AwareDatetime
    pack: PackShape


class PaymentFailed(Event):
    subject = "payment.failed"
    order_id: UUID
    student_id: str
    mentor_id: str
    reason: str


class PaymentRefunded(Event):
    subject = "payment.refunded"
    order_id: UUID
    refund_id: UUID
    student_id: str
    mentor_id: str
    amount: int
    currency: str
    full: bool
    refunded_at: AwareDatetime


# ---- packs ------------------------------------------------------------------------------


class PackPurchased(Event):
    subject = "pack.purchased"
    pack_id: UUID
    order_id: UUID
    seat_id: UUID
    student_id: str
    mentor_id: str
    sessions_total: int
    session_minutes: int
    expires_at: AwareDatetime
    renewal: bool


class PackPurchaseRejected(Event):
    subject = "pack.purchase_rejected"
    order_id: UUID
    student_id: str
    mentor_id: str
    reason: str


class PackDepleted(Event):
    subject = "pack.depleted"
    pack_id: UUID
    student_id: str
    mentor_id: str


class PackExpired(Event):
    subject = "pack.expired"
    pack_id: UUID
    student_id: str
    mentor_id: str
    expired_at: AwareDatetime
    unused_credits: int


class PackRevoked(Event):
    subject = "pack.revoked"
    pack_id: UUID
    order_id: UUID
    student_id: str
    mentor_id: str
    reason: str


class PackRenewalDue(Event):
    subject = "pack.renewal_due"
    student_id: str
    mentor_id: str
    remaining: int
    grace_ends_at: AwareDatetime | None = None


class SeatGraceStarted(Event):
    subject = "seat.grace_started"
    seat_id: UUID
    student_id: str
    mentor_id: str
    grace_ends_at: AwareDatetime


class SeatGraceExpiring(Event):
    subject = "seat.grace_expiring"
    seat_id: UUID
    student_id: str
    mentor_id: str
    grace_ends_at: AwareDatetime


class SeatReleased(Event):
    subject = "seat.released"
    seat_id: UUID
    student_id: str
    mentor_id: str
    reason: Literal["grace_over", "pack_expired", "refunded"]


class MentorCapacityChanged(Event):
    subject = "mentor.capacity_changed"
    mentor_id: str
    capacity: int
    live_seats: int
    open_seats: int


# ---- booking ----------------------------------------------------------------------------


class MentorUpdated(Event):
    subject = "mentor.updated"
    mentor_id: str
    display_name: str
    title: str = ""
    company: str = ""
    bio: str = ""
    specialties: list[str] = []
    job_family: str = ""
    years_experience: int = 0
    timezone: str
    accepting_students: bool = True
    price_amount: int | None = None
    currency: str | None = None


class MentorAvailabilityChanged(Event):
    subject = "mentor.availability_changed"
    mentor_id: str
    next_available_at: AwareDatetime | None
    available_days: list[date]


class SessionEvent(Event):
    session_id: UUID
    mentor_id: str
    student_id: str


class SessionBooked(SessionEvent):
    subject = "session.booked"
    pack_id: UUID
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    join_url: str
    mentor_timezone: str


class SessionRescheduled(SessionEvent):
    subject = "session.rescheduled"
    previous_starts_at: AwareDatetime
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    sequence: int


class SessionCanceled(SessionEvent):
    subject = "session.canceled"
    starts_at: AwareDatetime
    canceled_by: Literal["student", "mentor", "system"]
    late: bool
    reason: str = ""


class SessionCompleted(SessionEvent):
    subject = "session.completed"
    completed_at: AwareDatetime


class SessionNoShow(SessionEvent):
    subject = "session.no_show"
    recorded_at: AwareDatetime


class SessionReminderDue(SessionEvent):
    subject = "session.reminder_due"
    starts_at: AwareDatetime
    offset_minutes: int


class ReviewSubmitted(Event):
    subject = "review.submitted"
    review_id: UUID
    session_id: UUID
    mentor_id: str
    student_id: str
    rating: int = Field(ge=1, le=5)
    average_rating: float
    review_count: int


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
    )
}
