"""Settings of the notifications service (environment variables with the NOTIFICATIONS_ prefix)."""

from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from shared.links import DEV_PUBLIC_BASE_URL, link_or_default
from shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFICATIONS_", extra="ignore")

    service_name: str = "notifications"
    # Email (SMTP); the run command points these at its local sink.
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_from: str = "Mentorship <no-reply@mentorship.localhost>"
    smtp_username: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_starttls: bool = False
    smtp_use_tls: bool = False
    smtp_cert_bundle: str = Field("", description="CA bundle to verify the relay (default: system)")
    smtp_timeout_seconds: float = Field(10.0, gt=0)
    email_concurrency: int = Field(8, gt=0, description="emails in flight at once, per replica")
    # Discord: bot DMs and channel webhooks; OAuth to connect an account.
    discord_bot_token: SecretStr = SecretStr("")
    discord_api_url: str = "https://discord.com/api/v10"
    discord_authorize_url: str = "https://discord.com/oauth2/authorize"
    discord_client_id: str = ""
    discord_client_secret: SecretStr = SecretStr("")
    discord_redirect_uri: str = Field(
        "", description="default: <public_base_url>/oauth/discord/callback (the gateway's)"
    )
    discord_concurrency: int = Field(4, gt=0, description="Discord posts in flight at once")
    public_base_url: str = Field(
        DEV_PUBLIC_BASE_URL, description="the suite's public origin; every link starts here"
    )
    connect_discord_url: str = Field(
        "",
        description="the app page that starts the Discord connection (linked from emails; "
        "default: <public_base_url>/settings/discord)",
    )
    mentor_checkout_url: str = Field(
        "",
        description="the app page where a student checks out with a mentor, `{mentor_id}` "
        "filled in (linked from waitlist offers; default: "
        "<public_base_url>/mentors/{mentor_id}/checkout)",
    )
    oauth_state_secret: SecretStr = SecretStr("dev-secret-oauth-state-change-me")
    oauth_state_minutes: int = Field(10, gt=0)
    # Clerk webhooks (Svix-signed).
    clerk_webhook_secret: SecretStr = SecretStr("")
    # Sending.
    send_poll_seconds: float = Field(1.0, gt=0, description="how often senders look for due rows")
    send_max_attempts: int = Field(6, gt=0)
    send_backoff_base_seconds: float = Field(5.0, gt=0)
    send_backoff_max_seconds: float = Field(3600.0, gt=0)
    send_lease_seconds: float = Field(120.0, gt=0, description="a claimed row's send deadline")
    send_stop_grace_seconds: float = Field(5.0, ge=0, description="sends finish on shutdown")
    senders_enabled: bool = True
    onboarding_reminder_hours: float = Field(48.0, gt=0)
    dev_mail_dir: Path = Path(".dev/mail")

    @model_validator(mode="after")
    def _links_from_the_public_base_url(self) -> "Settings":
        base = self.public_base_url
        self.connect_discord_url = link_or_default(
            self.connect_discord_url, base_url=base, path="/settings/discord"
        )
        self.mentor_checkout_url = link_or_default(
            self.mentor_checkout_url, base_url=base, path="/mentors/{mentor_id}/checkout"
        )
        self.discord_redirect_uri = link_or_default(
            self.discord_redirect_uri, base_url=base, path="/oauth/discord/callback"
        )
        return self

    def secret_values(self) -> dict[str, str]:
        """The Discord bot token and the OAuth state key must be real outside dev mode."""
        return {
            "NOTIFICATIONS_DISCORD_BOT_TOKEN": self.discord_bot_token.get_secret_value(),
            "NOTIFICATIONS_OAUTH_STATE_SECRET": self.oauth_state_secret.get_secret_value(),
        }
