"""Seat rules: capacity, holds, grace timing and when a seat may be released."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from packs.domain.errors import InvalidHold, NoSeatAvailable
from packs.domain.model import HoldDecision, Pack, ReleaseReason, Seat, SeatStatus
from packs.domain.policy import Policy


def open_seats(*, capacity: int, live: int) -> int:
    """Seats still free; never negative when capacity was lowered below the live seats."""
    return max(0, capacity - live)


@dataclass(frozen=True)
class HoldPlan:
    outcome: HoldDecision
    held_until: datetime | None


def decide_hold(
    *, live_seat: Seat | None, live_count: int, capacity: int, until: datetime
) -> HoldPlan:
    """A student with a live seat renews (or shares an open hold); others need a free seat."""
    if live_seat is not None:
        if live_seat.status is SeatStatus.held:
            return HoldPlan(HoldDecision.share, max(until, live_seat.held_until or until))
        return HoldPlan(HoldDecision.renewal, None)
    if open_seats(capacity=capacity, live=live_count) == 0:
        raise NoSeatAvailable(f"the mentor's {capacity} seats are all taken")
    return HoldPlan(HoldDecision.new, until)


def hold_deadline(*, requested: datetime | None, now: datetime, policy: Policy) -> datetime:
    """The hold's end: as asked (in the future, within the maximum) or the default window."""
    if requested is None:
        return now + policy.hold
    if requested <= now:
        raise InvalidHold("hold_until must be in the future")
    if requested > now + policy.hold_max:
        raise InvalidHold(f"hold_until may be at most {policy.hold_max} ahead")
    return requested


def grace_warning_due(seat: Seat, *, now: datetime, policy: Policy) -> bool:
    """Once, from `grace_warning` before the end of grace until its end."""
    return (
        seat.status is SeatStatus.grace
        and seat.grace_ends_at is not None
        and seat.grace_warning_sent_at is None
        and seat.grace_ends_at - policy.grace_warning <= now < seat.grace_ends_at
    )


def release_reason(*, seat: Seat, packs: Sequence[Pack], now: datetime) -> ReleaseReason | None:
    """Why this seat should be released now, or None to keep it.

    Never inside its grace period, never while a booked session (reserved credit) remains,
    never while a live pack holds it.
    """
    if any(p.sessions_reserved > 0 for p in packs):
        return None
    if seat.status is SeatStatus.grace:
        if seat.grace_ends_at is not None and now >= seat.grace_ends_at:
            return ReleaseReason.grace_over
        return None
    if seat.status is SeatStatus.active and not any(p.is_live(now) for p in packs):
        return ReleaseReason.pack_expired
    return None
