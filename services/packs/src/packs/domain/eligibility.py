"""Which pack a booking draws from, or the first eligibility check that fails.

The checks run in a fixed order, each with a stable code (ARCHITECTURE §5):
PACK_NOT_FOUND, PACK_EXPIRED, SCHEDULED_AFTER_EXPIRATION, PACK_NOT_ACTIVE,
NO_REMAINING_SESSIONS, SEAT_NOT_ACTIVE.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from packs.domain.errors import Ineligible, IneligibleCode
from packs.domain.model import Pack, PackStatus, Seat, SeatStatus

BOOKABLE_STATUSES = (PackStatus.active, PackStatus.depleted)
"""Statuses past PACK_NOT_ACTIVE: a depleted pack fails later, as NO_REMAINING_SESSIONS."""


@dataclass(frozen=True)
class Verdict:
    pack: Pack | None  # the pack to draw from when eligible
    code: IneligibleCode | None  # the first failing check, None when eligible

    @property
    def eligible(self) -> bool:
        return self.code is None


def judge(
    *, packs: Sequence[Pack], seat: Seat | None, starts_at: datetime | None, now: datetime
) -> Verdict:
    """Run the checks in order on the student's packs with one mentor."""
    if not packs:
        return Verdict(None, IneligibleCode.PACK_NOT_FOUND)
    unexpired = [p for p in packs if not p.has_expired(now)]
    if not unexpired:
        return Verdict(None, IneligibleCode.PACK_EXPIRED)
    in_time = unexpired if starts_at is None else [p for p in unexpired if starts_at < p.expires_at]
    if not in_time:
        return Verdict(None, IneligibleCode.SCHEDULED_AFTER_EXPIRATION)
    bookable = [p for p in in_time if p.status in BOOKABLE_STATUSES]
    if not bookable:
        return Verdict(None, IneligibleCode.PACK_NOT_ACTIVE)
    with_room = [p for p in bookable if p.status is PackStatus.active and p.remaining > 0]
    if not with_room:
        return Verdict(None, IneligibleCode.NO_REMAINING_SESSIONS)
    if seat is None or seat.status is not SeatStatus.active:
        return Verdict(None, IneligibleCode.SEAT_NOT_ACTIVE)
    return Verdict(first_to_expire(with_room), None)


def choose_pack(
    *, packs: Sequence[Pack], seat: Seat | None, starts_at: datetime, now: datetime
) -> Pack:
    """The pack that expires first and still has room; raises `Ineligible` otherwise."""
    verdict = judge(packs=packs, seat=seat, starts_at=starts_at, now=now)
    if verdict.code is not None:
        raise Ineligible(EXPLANATIONS[verdict.code], code=verdict.code)
    assert verdict.pack is not None  # an eligible verdict always names its pack
    return verdict.pack


def bookable_remaining(packs: Sequence[Pack], now: datetime) -> int:
    """Credits still bookable across the live packs."""
    return sum(p.remaining for p in packs if p.is_live(now))


def first_to_expire(packs: Sequence[Pack]) -> Pack:
    return min(packs, key=lambda p: (p.expires_at, str(p.id)))


EXPLANATIONS = {
    IneligibleCode.PACK_NOT_FOUND: "the student has no pack with this mentor",
    IneligibleCode.PACK_EXPIRED: "every pack of the student with this mentor has expired",
    IneligibleCode.SCHEDULED_AFTER_EXPIRATION: "the session would start after the pack expires",
    IneligibleCode.PACK_NOT_ACTIVE: "the student's pack with this mentor is not active (refunded)",
    IneligibleCode.NO_REMAINING_SESSIONS: "no session left to book in the student's packs",
    IneligibleCode.SEAT_NOT_ACTIVE: "the student's seat with this mentor is not active",
}
