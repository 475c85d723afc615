"""How much a refund gives back."""

from enum import StrEnum


class RefundKind(StrEnum):
    full = "full"
    pro_rata = "pro_rata"


def pro_rata_amount(*, paid: int, sessions_total: int, sessions_used: int) -> int:
    """The share of `paid` for the sessions not used, rounded down to the minor unit."""
    unused = max(sessions_total - sessions_used, 0)
    return paid * unused // sessions_total
