"""What the use cases need besides their unit of work: time, policy, packs and the calendar."""

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field

from booking.adapters.repositories import BookingReads, OwnBookingUnit
from booking.domain.policy import Policy
from booking.service_layer.ports import Calendar, CalendarConnector, Packs
from booking.service_layer.single_flight import SingleFlight
from shared.clock import Clock


@dataclass(frozen=True)
class Dependencies:
    clock: Clock
    policy: Policy
    packs: Packs
    calendar: Calendar
    own_unit: Callable[[], AbstractAsyncContextManager[OwnBookingUnit]]
    """A unit of work that commits apart from any caller's: the booking saga, a deferred release."""
    own_reads: Callable[[], AbstractAsyncContextManager[BookingReads]]
    """Reads outside any transaction: the booking saga's check before it asks packs."""
    connector: CalendarConnector | None = None
    """None when this deployment has no Google credentials."""
    bookings_in_flight: SingleFlight = field(default_factory=SingleFlight)
    """Bookings of one student and idempotency key, one at a time in this process."""
