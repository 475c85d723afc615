"""What each send outcome does: sent, retried with backoff, failed at once, dead at the end."""

from datetime import UTC, datetime, timedelta

from notifications.domain.model import DeliveryStatus
from notifications.domain.retries import Backoff, Permanent, Sent, Transient, after_attempt

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
BACKOFF = Backoff(base_seconds=5, max_seconds=60)


def step(result, attempts: int, *, jitter: float = 0.0, limit: int = 5):
    return after_attempt(
        result, attempts=attempts, attempt_limit=limit, now=NOW, backoff=BACKOFF, jitter=jitter
    )


def test_backoff_doubles_is_capped_and_jitter_spreads_it_between_half_and_all():
    delays = [BACKOFF.delay(n, jitter=0.999999).total_seconds() for n in range(1, 7)]

    assert [round(d) for d in delays] == [5, 10, 20, 40, 60, 60]
    assert BACKOFF.delay(3, jitter=0.0) == timedelta(seconds=10)


def test_a_transient_failure_retries_later_and_the_last_one_is_dead():
    retry = step(Transient("421 busy"), 2, jitter=0.5)
    dead = step(Transient("421 busy"), 5)

    assert retry.status is DeliveryStatus.pending
    assert retry.next_attempt_at == NOW + timedelta(seconds=7.5)
    assert (dead.status, dead.error) == (DeliveryStatus.dead, "421 busy")


def test_a_permanent_failure_fails_at_once_and_a_success_keeps_the_provider_id():
    assert step(Permanent("550 unknown"), 1).status is DeliveryStatus.failed
    sent = step(Sent("<id@host>"), 1)
    assert (sent.status, sent.provider_message_id) == (DeliveryStatus.sent, "<id@host>")


def test_a_rate_limit_waits_exactly_what_the_server_asked():
    limited = step(Transient("429", retry_after=0.25), 1, jitter=0.9)

    assert limited.next_attempt_at == NOW + timedelta(seconds=0.25)
