"""Settings of the booking service (environment variables with the BOOKING_ prefix)."""

from datetime import timedelta

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from booking.domain.policy import Policy
from shared.links import DEV_PUBLIC_BASE_URL, link_or_default, through_gateway
from shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="BOOKING_", extra="ignore")

    service_name: str = "booking"
    late_cancel_hours: float = Field(24, ge=0, description="a student cancelling later forfeits")
    reminder_offsets_minutes: tuple[int, ...] = Field(
        (24 * 60, 10), description="reminders this many minutes before the start"
    )
    hold_minutes: int = Field(5, gt=0, le=60, description="how long a slot hold keeps a slot")
    public_base_url: str = Field(
        DEV_PUBLIC_BASE_URL, description="the suite's public origin; every link starts here"
    )
    join_url_base: str = Field(
        "", description="the app's session pages (default: <public_base_url>/sessions)"
    )
    calendar_feed_base: str = Field(
        "", description="feed URLs start here (default: <public_base_url>/api/booking/v1/...)"
    )
    job_batch_size: int = Field(100, gt=0, description="reminders one due-job round claims")
    # A booking waits on a packs request and a commit, so requests past a little over the
    # pool only queue: 12, not the kernel's 4 x pool (decisions 0023, 0031).
    max_requests_in_flight: int | None = Field(
        12, ge=0, description="requests answered at once, then 503 OVERLOADED; 0: no bound"
    )
    google_client_id: str = ""
    google_client_secret: SecretStr = SecretStr("")
    google_redirect_uri: str = Field(
        "", description="default: <public_base_url>/oauth/google/callback (the gateway's)"
    )
    calendar_token_key: SecretStr = SecretStr("")
    """Fernet key that encrypts refresh tokens at rest (`Fernet.generate_key()`)."""
    calendar_cache_seconds: float = Field(60, ge=0, description="free/busy answers kept this long")

    @model_validator(mode="after")
    def _links_from_the_public_base_url(self) -> "Settings":
        base = self.public_base_url
        self.join_url_base = link_or_default(self.join_url_base, base_url=base, path="/sessions")
        self.calendar_feed_base = link_or_default(
            self.calendar_feed_base,
            base_url=through_gateway(base, "booking"),
            path="/v1/calendar-feeds",
        )
        self.google_redirect_uri = link_or_default(
            self.google_redirect_uri, base_url=base, path="/oauth/google/callback"
        )
        return self

    def policy(self) -> Policy:
        return Policy(
            late_cancel_window=timedelta(hours=self.late_cancel_hours),
            reminder_offsets=tuple(timedelta(minutes=m) for m in self.reminder_offsets_minutes),
            hold_duration=timedelta(minutes=self.hold_minutes),
            join_url_base=self.join_url_base,
            calendar_feed_base=self.calendar_feed_base,
        )

    @property
    def google_configured(self) -> bool:
        return bool(self.google_client_id and self.google_client_secret.get_secret_value())

    def secret_values(self) -> dict[str, str]:
        if not self.google_configured:
            return {}
        return {
            "google_client_secret": self.google_client_secret.get_secret_value(),
            "calendar_token_key": self.calendar_token_key.get_secret_value(),
        }
