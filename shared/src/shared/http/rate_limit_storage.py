"""Counters for the rate limits: the `limits` library's sliding-window counter, in this
process's memory or in Redis (shared by a service's replicas).

While Redis does not answer, counting goes on in local memory (each replica then limits on
its own) with a warning and a metric; Redis is tried again after `RETRY_SHARED_SECONDS`.
"""

import time
from dataclasses import dataclass

from limits import RateLimitItem
from limits.aio.storage import MemoryStorage, RedisStorage
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from limits.errors import StorageError
from prometheus_client import Counter

from shared.logging import get_logger

log = get_logger(__name__)

RETRY_SHARED_SECONDS = 5.0
REDIS_TIMEOUT_SECONDS = 0.5  # connect and each command: a slow Redis must not stall requests
REDIS_SCHEMES = ("redis://", "rediss://", "redis+unix://", "redis+sentinel://", "redis+cluster://")

STORAGE_FAILURES = Counter(
    "mentorship_rate_limit_storage_failures_total",
    "Rate-limit counter calls that the shared storage (Redis) failed; counted locally instead",
    ["service"],
)


@dataclass(frozen=True)
class Outcome:
    """One limit after a hit: allowed or not, what is left, seconds until the window resets."""

    item: RateLimitItem
    allowed: bool
    remaining: int
    reset_seconds: float


class LimitCounters:
    """`hit` and `test` on one storage, with the local fallback while Redis is away."""

    def __init__(self, url: str, *, service: str, key_prefix: str) -> None:
        self.service = service
        self.shared_url = url
        self._local = SlidingWindowCounterRateLimiter(MemoryStorage())
        self._shared: SlidingWindowCounterRateLimiter | None = None
        if url.startswith(REDIS_SCHEMES):
            storage = RedisStorage(
                f"async+{url}",
                wrap_exceptions=True,
                key_prefix=key_prefix,
                connect_timeout=REDIS_TIMEOUT_SECONDS,
                stream_timeout=REDIS_TIMEOUT_SECONDS,
            )
            self._shared = SlidingWindowCounterRateLimiter(storage)
        elif url != "memory://":
            scheme = url.split(":")[0]  # never the rest: it may hold a password
            raise ValueError(
                f"RATE_LIMIT_STORAGE_URL must be memory:// or a redis:// URL, not {scheme!r}"
            )
        self._shared_down_until = 0.0

    @property
    def shared(self) -> bool:
        """True while counts go to Redis."""
        return self._shared is not None and time.monotonic() >= self._shared_down_until

    async def hit(self, item: RateLimitItem, *identifiers: str) -> Outcome:
        """Count one request against `item`."""
        if self.shared:
            assert self._shared is not None
            try:
                return await self._hit(self._shared, item, identifiers)
            except (StorageError, OSError, TimeoutError) as exc:
                self._failed(exc)
        return await self._hit(self._local, item, identifiers)

    async def peek(self, item: RateLimitItem, *identifiers: str) -> Outcome:
        """Whether `item` has room for one more, without counting it (what is left and the
        reset are only worked out when it has none)."""
        if self.shared:
            assert self._shared is not None
            try:
                return await self._peek(self._shared, item, identifiers)
            except (StorageError, OSError, TimeoutError) as exc:
                self._failed(exc)
        return await self._peek(self._local, item, identifiers)

    async def _hit(
        self, limiter: SlidingWindowCounterRateLimiter, item: RateLimitItem, ids: tuple[str, ...]
    ) -> Outcome:
        allowed = await limiter.hit(item, *ids)
        return await self._outcome(limiter, item, ids, allowed=allowed)

    async def _peek(
        self, limiter: SlidingWindowCounterRateLimiter, item: RateLimitItem, ids: tuple[str, ...]
    ) -> Outcome:
        if await limiter.test(item, *ids):  # the common case: one storage call, no stats
            return Outcome(item=item, allowed=True, remaining=1, reset_seconds=0.0)
        return await self._outcome(limiter, item, ids, allowed=False)

    async def _outcome(
        self,
        limiter: SlidingWindowCounterRateLimiter,
        item: RateLimitItem,
        ids: tuple[str, ...],
        *,
        allowed: bool,
    ) -> Outcome:
        stats = await limiter.get_window_stats(item, *ids)
        reset = max(stats.reset_time - time.time(), 0.0)
        return Outcome(item=item, allowed=allowed, remaining=stats.remaining, reset_seconds=reset)

    def _failed(self, exc: BaseException) -> None:
        STORAGE_FAILURES.labels(self.service).inc()
        log.warning(
            "rate_limit.storage_unavailable",
            error=f"{type(exc).__name__}: {str(exc)[:200]}",
            fallback="local memory",
            retry_in_seconds=RETRY_SHARED_SECONDS,
        )
        self._shared_down_until = time.monotonic() + RETRY_SHARED_SECONDS
