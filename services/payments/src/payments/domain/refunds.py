"""How much a refund gives back, and where a refund the platform owes stands."""

from dataclasses import dataclass
from enum import StrEnum


class RefundStatus(StrEnum):
    """A refund we asked a provider for is `requested` until it answers; one the provider
    reports is `succeeded` at once."""

    requested = "requested"
    succeeded = "succeeded"
    failed = "failed"


class OwedRefund(StrEnum):
    """The state of a refund the platform owes (a rejected or late-paid purchase)."""

    required = "refund_required"
    refunded = "refunded"
    nothing_to_refund = "nothing_to_refund"  # the order is unknown here


@dataclass(frozen=True)
class PackUse:
    """The sessions of an order's pack, and how many were used (packs' and booking's word)."""

    sessions_total: int
    sessions_used: int


def pro_rata_amount(*, paid: int, sessions_total: int, sessions_used: int) -> int:
    """The share of `paid` for the sessions not used, rounded down to the minor unit."""
    unused = max(sessions_total - sessions_used, 0)
    return paid * unused // sessions_total
