"""What booking hears of packs: a seat's and a pack's states (packs is the source of truth)."""

from enum import StrEnum


class SeatStatus(StrEnum):
    active = "active"
    grace = "grace"
    released = "released"


LIVE_SEATS = (SeatStatus.active, SeatStatus.grace)


class PackStatus(StrEnum):
    active = "active"
    depleted = "depleted"
    expired = "expired"
    refunded = "refunded"
