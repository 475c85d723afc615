"""What every use case needs besides its unit of work: time, templates and the policy."""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from notifications.adapters.templates import Renderer
from notifications.domain.retries import Backoff
from shared.clock import Clock


@dataclass(frozen=True)
class Policy:
    attempt_limit: int = 6
    backoff: Backoff = Backoff()
    lease: timedelta = timedelta(minutes=2)
    onboarding_reminder_after: timedelta = timedelta(hours=48)
    discord_ready: bool = False
    connect_discord_url: str = ""


@dataclass(frozen=True)
class Dependencies:
    clock: Clock
    renderer: Renderer
    policy: Policy
    jitter: Callable[[], float] = field(default=random.random)
