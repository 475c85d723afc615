"""What a send attempt's outcome does to a delivery: sent, retried later, failed or dead."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from notifications.domain.model import DeliveryStatus


@dataclass(frozen=True)
class Sent:
    provider_message_id: str


@dataclass(frozen=True)
class Transient:
    """Worth another try (refused connection, 4xx temporary, 5xx, 429)."""

    error: str
    retry_after: float | None = None


@dataclass(frozen=True)
class Permanent:
    """Never worth another try (550 unknown mailbox, Discord 403/404)."""

    error: str


SendResult = Sent | Transient | Permanent


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with jitter: base·2^(n−1), capped, scaled into [½, 1] at random."""

    base_seconds: float = 5.0
    max_seconds: float = 3600.0

    def delay(self, attempt: int, *, jitter: float) -> timedelta:
        """`jitter` in [0, 1) comes from the caller's random source."""
        ceiling = min(self.max_seconds, self.base_seconds * 2 ** max(0, attempt - 1))
        return timedelta(seconds=ceiling * (0.5 + jitter / 2))


@dataclass(frozen=True)
class Transition:
    status: DeliveryStatus
    next_attempt_at: datetime | None = None
    provider_message_id: str | None = None
    error: str | None = None


def after_attempt(
    result: SendResult,
    *,
    attempts: int,
    attempt_limit: int,
    now: datetime,
    backoff: Backoff,
    jitter: float,
) -> Transition:
    """The delivery's next state after its `attempts`-th try ended with `result`."""
    if isinstance(result, Sent):
        return Transition(DeliveryStatus.sent, provider_message_id=result.provider_message_id)
    if isinstance(result, Permanent):
        return Transition(DeliveryStatus.failed, error=result.error)
    if attempts >= attempt_limit:
        return Transition(DeliveryStatus.dead, error=result.error)
    if result.retry_after is not None:  # the server said when: do as it says
        delay = timedelta(seconds=result.retry_after)
    else:
        delay = backoff.delay(attempts, jitter=jitter)
    return Transition(DeliveryStatus.pending, next_attempt_at=now + delay, error=result.error)
