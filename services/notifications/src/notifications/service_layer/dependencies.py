"""What every use case and route needs besides its unit of work: time, templates, the policy,
and the Discord and Clerk credentials the HTTP edge checks."""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

from pydantic import SecretStr

from notifications.adapters.discord_oauth import DiscordOAuth
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
    payments_url: str = ""  # payments' API through the gateway: receipts' links
    mentor_checkout_url: str = ""  # the app's checkout page, `{mentor_id}` filled in

    def checkout_link(self, mentor_id: object) -> str:
        """Where a student checks out with `mentor_id` (a waitlist offer's link)."""
        return self.mentor_checkout_url.replace("{mentor_id}", quote(str(mentor_id or ""), safe=""))


@dataclass(frozen=True)
class Dependencies:
    clock: Clock
    renderer: Renderer
    policy: Policy
    jitter: Callable[[], float] = field(default=random.random)
    oauth: DiscordOAuth | None = None
    """Discord's OAuth client; None without NOTIFICATIONS_DISCORD_CLIENT_ID."""
    oauth_state_secret: SecretStr = SecretStr("")
    oauth_state_ttl_seconds: int = 600
    clerk_webhook_secret: SecretStr = SecretStr("")
    """Empty when Clerk webhooks are not configured here."""
    dev_mail_dir: Path | None = None
    """The local SMTP sink's folder, in dev mode only."""
