"""The configurable numbers the rules use."""

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Policy:
    default_capacity: int = 10
    hold: timedelta = timedelta(minutes=30)
    hold_max: timedelta = timedelta(hours=24)
    grace: timedelta = timedelta(hours=72)
    grace_warning: timedelta = timedelta(hours=12)
    offer: timedelta = timedelta(hours=24)  # a waitlist offer's seat hold

    @classmethod
    def from_hours(
        cls,
        *,
        default_capacity: int,
        hold_minutes: int,
        hold_max_hours: int,
        grace_hours: int,
        grace_warning_hours: int,
        offer_hours: int,
    ) -> "Policy":
        return cls(
            default_capacity=default_capacity,
            hold=timedelta(minutes=hold_minutes),
            hold_max=timedelta(hours=hold_max_hours),
            grace=timedelta(hours=grace_hours),
            grace_warning=timedelta(hours=grace_warning_hours),
            offer=timedelta(hours=offer_hours),
        )
