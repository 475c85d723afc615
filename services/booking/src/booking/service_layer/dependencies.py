"""What the use cases need besides their unit of work: time, policy, packs and the calendar."""

from dataclasses import dataclass

from booking.domain.policy import Policy
from booking.service_layer.ports import Calendar, CalendarConnector, Packs
from shared.clock import Clock
from shared.uow import UnitOfWorkFactory


@dataclass(frozen=True)
class Dependencies:
    clock: Clock
    policy: Policy
    packs: Packs
    calendar: Calendar
    uow_factory: UnitOfWorkFactory
    """For work that must commit apart from the caller's transaction (a deferred release)."""
    connector: CalendarConnector | None = None
    """None when this deployment has no Google credentials."""
