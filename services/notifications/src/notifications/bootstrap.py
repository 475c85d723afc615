"""Wires notifications: dependencies, channel adapters, consumers, senders and due jobs.

Nothing connects until the runtime starts; the senders start after it (`Senders.start`, the
app's `on_start` hook) and stop before it.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx

from notifications.adapters.discord import DiscordClient
from notifications.adapters.discord_oauth import DiscordOAuth
from notifications.adapters.smtp import Email, SmtpConfig, SmtpSender
from notifications.adapters.templates import Renderer
from notifications.adapters.wakeups import Wakeups
from notifications.config import Settings
from notifications.domain.model import Channel, Delivery
from notifications.domain.retries import Backoff, SendResult
from notifications.entrypoints import jobs, subscribers
from notifications.entrypoints.senders import ChannelSender
from notifications.service_layer.dependencies import Dependencies, Policy
from shared.links import through_gateway
from shared.runtime import Runtime


def policy_of(settings: Settings) -> Policy:
    return Policy(
        attempt_limit=settings.send_max_attempts,
        backoff=Backoff(settings.send_backoff_base_seconds, settings.send_backoff_max_seconds),
        lease=timedelta(seconds=settings.send_lease_seconds),
        onboarding_reminder_after=timedelta(hours=settings.onboarding_reminder_hours),
        discord_ready=bool(settings.discord_bot_token.get_secret_value()),
        connect_discord_url=settings.connect_discord_url,
        payments_url=through_gateway(settings.public_base_url, "payments"),
        mentor_checkout_url=settings.mentor_checkout_url,
    )


def smtp_config(settings: Settings) -> SmtpConfig:
    return SmtpConfig(
        host=settings.smtp_host,
        port=settings.smtp_port,
        sender=settings.smtp_from,
        username=settings.smtp_username,
        password=settings.smtp_password.get_secret_value(),
        start_tls=settings.smtp_starttls,
        use_tls=settings.smtp_use_tls,
        cert_bundle=settings.smtp_cert_bundle,
        timeout=settings.smtp_timeout_seconds,
    )


def message_id(delivery_id: object, sender: str) -> str:
    """Stable per delivery, so a resend after a crash is recognisable as the same mail."""
    domain = sender.rsplit("@", 1)[-1].rstrip(">").strip() or "mentorship.localhost"
    return f"<{delivery_id}@{domain}>"


@dataclass
class Senders:
    """One sending loop per channel, woken by Postgres NOTIFY; owns the HTTP client."""

    settings: Settings
    http: httpx.AsyncClient
    smtp: SmtpSender
    discord: DiscordClient
    loops: dict[Channel, ChannelSender] = field(default_factory=dict)
    wakeups: Wakeups | None = None

    def wake(self, channel: str | None = None) -> None:
        for name, sender in self.loops.items():
            if channel is None or name == channel:
                sender.wake()

    async def send_email(self, delivery: Delivery) -> SendResult:
        email = Email(
            message_id=message_id(delivery.delivery_id, self.settings.smtp_from),
            to=delivery.address or "",  # a pending delivery always has one
            subject=delivery.subject or "",
            text=delivery.body_text or "",
            html=delivery.body_html or "",
            attachments=list(delivery.attachments),
            date=delivery.created_at or datetime.now(UTC),
        )
        return await self.smtp.send(email)

    async def send_discord(self, delivery: Delivery) -> SendResult:
        return await self.discord.send(delivery.address or "", delivery.body_text or "")

    async def start(self) -> None:
        if not self.settings.senders_enabled:
            return
        for sender in self.loops.values():
            sender.start()
        self.wakeups = Wakeups(self.settings.database_url, on_due=self.wake)
        await self.wakeups.start()

    async def stop(self) -> None:
        if self.wakeups is not None:
            await self.wakeups.stop()
        for sender in self.loops.values():
            await sender.stop()
        await self.smtp.close()
        await self.http.aclose()


def bootstrap(runtime: Runtime, *, settings: Settings) -> tuple[Dependencies, Senders]:
    """Register everything notifications serves; nothing connects until started."""
    http = httpx.AsyncClient(timeout=httpx.Timeout(10.0))
    oauth = None
    if settings.discord_client_id:
        oauth = DiscordOAuth(
            http=http,
            api_url=settings.discord_api_url,
            authorize_url=settings.discord_authorize_url,
            client_id=settings.discord_client_id,
            client_secret=settings.discord_client_secret.get_secret_value(),
            redirect_uri=settings.discord_redirect_uri,
        )
    deps = Dependencies(
        clock=runtime.clock,
        renderer=Renderer(),
        policy=policy_of(settings),
        oauth=oauth,
        oauth_state_secret=settings.oauth_state_secret,
        oauth_state_ttl_seconds=settings.oauth_state_minutes * 60,
        clerk_webhook_secret=settings.clerk_webhook_secret,
        dev_mail_dir=settings.dev_mail_dir if settings.dev_mode else None,
    )
    senders = Senders(
        settings=settings,
        http=http,
        smtp=SmtpSender(smtp_config(settings)),
        discord=DiscordClient(
            http=http,
            api_url=settings.discord_api_url,
            bot_token=settings.discord_bot_token.get_secret_value(),
        ),
    )
    for channel, deliver, slots in (
        (Channel.email, senders.send_email, settings.email_concurrency),
        (Channel.discord, senders.send_discord, settings.discord_concurrency),
    ):
        senders.loops[channel] = ChannelSender(
            channel,
            runtime=runtime,
            deps=deps,
            deliver=deliver,
            concurrency=slots,
            poll_seconds=settings.send_poll_seconds,
            stop_grace_seconds=settings.send_stop_grace_seconds,
        )
    subscribers.register(runtime.bus, deps=deps)
    jobs.register(runtime, deps=deps)
    return deps, senders
