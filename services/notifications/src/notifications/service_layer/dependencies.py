"""What every use case needs besides its unit of work: time, the outbox, templates, policy."""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from notifications.adapters.templates import Renderer
from notifications.domain.retries import Backoff
from shared.clock import Clock
from shared.messaging.events import Event
from shared.messaging.outbox import Outbox
from shared.uow import UnitOfWork


@dataclass(frozen=True)
class Policy:
    attempt_limit: int = 6
    backoff: Backoff = Backoff()
    lease: timedelta = timedelta(minutes=2)
    onboarding_reminder_after: timedelta = timedelta(hours=48)
    discord_ready: bool = False
    connect_discord_url: str = ""


@dataclass(frozen=True)
class Context:
    clock: Clock
    outbox: Outbox
    renderer: Renderer
    policy: Policy
    jitter: Callable[[], float] = field(default=random.random)

    def record(self, uow: UnitOfWork, event: Event) -> None:
        """Write the event to the outbox in the unit of work's transaction."""
        self.outbox.record(uow, event)
