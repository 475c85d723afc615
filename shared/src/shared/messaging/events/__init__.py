"""The event contracts: the envelope and one payload model per subject of the catalog.

This package is the single place that says what each subject carries (ARCHITECTURE §4): one
module per producing service, so the module a payload is declared in names who publishes it.
Adding an optional field is compatible; removing or renaming one is a new `version`.
"""

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict

from shared.clock import SystemClock
from shared.messaging.events.base import Event, EventType, TraceId
from shared.messaging.events.booking import (
    MentorAvailabilityChanged,
    MentorUpdated,
    ReviewSubmitted,
    SessionBooked,
    SessionCanceled,
    SessionCompleted,
    SessionEvent,
    SessionNoShow,
    SessionReminderDue,
    SessionRescheduled,
)
from shared.messaging.events.notifications import ContactDiscordConnected
from shared.messaging.events.packs import (
    MentorCapacityChanged,
    PackDepleted,
    PackExpired,
    PackPurchased,
    PackPurchaseRejected,
    PackRenewalDue,
    PackRevoked,
    SeatGraceExpiring,
    SeatGraceStarted,
    SeatReleased,
    WaitlistSeatOffered,
)
from shared.messaging.events.payments import (
    PackShape,
    PaymentFailed,
    PaymentRefunded,
    PaymentSucceeded,
    ProductUpdated,
    ReceiptIssued,
)
from shared.messaging.events.video import VideoAttendance
from shared.types import Identifier, Timestamp, int_range


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


EVENTS: dict[str, type[Event]] = {
    model.subject: model
    for model in (
        ProductUpdated,
        PaymentSucceeded,
        PaymentFailed,
        PaymentRefunded,
        ReceiptIssued,
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
        WaitlistSeatOffered,
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

PRODUCERS: dict[str, str] = {
    subject: model.__module__.rsplit(".", 1)[-1] for subject, model in EVENTS.items()
}
"""Subject -> the service that publishes it: the module its payload is declared in."""

__all__ = [
    "EVENTS",
    "Envelope",
    "Event",
    "PRODUCERS",
    "ProductUpdated",
    "PackShape",
    "PaymentSucceeded",
    "PaymentFailed",
    "PaymentRefunded",
    "ReceiptIssued",
    "PackPurchased",
    "PackPurchaseRejected",
    "PackDepleted",
    "PackExpired",
    "PackRevoked",
    "PackRenewalDue",
    "SeatGraceStarted",
    "SeatGraceExpiring",
    "SeatReleased",
    "MentorCapacityChanged",
    "WaitlistSeatOffered",
    "MentorUpdated",
    "MentorAvailabilityChanged",
    "SessionEvent",
    "SessionBooked",
    "SessionRescheduled",
    "SessionCanceled",
    "SessionCompleted",
    "SessionNoShow",
    "SessionReminderDue",
    "ReviewSubmitted",
    "ContactDiscordConnected",
    "VideoAttendance",
]
