"""What follows a consumed credit: a renewal reminder at one session left, grace at none.

Counting is by sessions *left* across the student's live packs with the mentor (credits not
yet consumed, booked or not), never by an absolute session number, so a 6-session pack and a
stacked renewal remind at the same moments as a 4-session pack.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from packs.domain.model import Pack, Seat, SeatStatus
from packs.domain.policy import Policy


@dataclass(frozen=True)
class Renewal:
    remind_with_left: int | None = None  # 1 or 0: announce `pack.renewal_due`
    grace_ends_at: datetime | None = None  # set: the seat enters grace until then


def sessions_left(packs: Sequence[Pack], now: datetime) -> int:
    """Sessions the student still has with this mentor: unconsumed credits of live packs."""
    return sum(p.unconsumed for p in packs if p.is_live(now))


def after_consumption(
    *, packs: Sequence[Pack], seat: Seat, now: datetime, policy: Policy
) -> Renewal:
    """The renewal step once a credit of a live pack was consumed (`packs` already updated)."""
    left = sessions_left(packs, now)
    if left == 1:
        return Renewal(remind_with_left=1)
    if left == 0 and seat.status is SeatStatus.active:
        return Renewal(remind_with_left=0, grace_ends_at=now + policy.grace)
    return Renewal()
