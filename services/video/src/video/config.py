"""Settings of the video service (environment variables with the VIDEO_ prefix)."""

import hashlib
import re
from datetime import timedelta

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings
from video.adapters.agora import AgoraApp
from video.domain.access import JoinPolicy

APP_ID = re.compile(r"^[0-9a-f]{32}$")


def _dev_value(purpose: str) -> str:
    """A local stand-in, the same in every dev process (tokens, channels agree across them)."""
    return hashlib.sha256(f"mentorship-video-dev:{purpose}".encode()).hexdigest()[:32]


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="VIDEO_", extra="ignore")

    service_name: str = "video"
    agora_app_id: str = Field("", description="32 hex characters; empty in dev: a local one")
    agora_app_certificate: SecretStr = Field(
        SecretStr(""), description="signs tokens and keys channel names; empty in dev: local"
    )
    agora_ncs_secret: SecretStr = Field(
        SecretStr(""), description="Agora Notifications secret (callback signatures)"
    )
    join_opens_minutes: int = Field(15, ge=0, le=24 * 60, description="before the start")
    join_closes_minutes: int = Field(15, ge=0, le=24 * 60, description="after the end")
    snapshot_page_size: int = Field(200, ge=1, le=500, description="sessions per rebuild page")

    @model_validator(mode="after")
    def _app_id_is_agoras_format(self) -> "Settings":
        if self.agora_app_id and not APP_ID.match(self.agora_app_id):
            raise ValueError("VIDEO_AGORA_APP_ID must be 32 lowercase hex characters")
        if not self.dev_mode and not self.agora_app_id:
            raise ValueError("outside dev mode VIDEO_AGORA_APP_ID is required")
        return self

    def secret_values(self) -> dict[str, str]:
        """Outside dev mode a missing certificate or callback secret refuses to start."""
        return {
            "VIDEO_AGORA_APP_CERTIFICATE": self.agora_app_certificate.get_secret_value(),
            "VIDEO_AGORA_NCS_SECRET": self.agora_ncs_secret.get_secret_value(),
        }

    def agora(self) -> AgoraApp:
        return AgoraApp(
            app_id=self.agora_app_id or _dev_value("app-id"),
            certificate=self.agora_app_certificate.get_secret_value() or _dev_value("certificate"),
            ncs_secret=self.agora_ncs_secret.get_secret_value() or _dev_value("ncs-secret"),
        )

    def join_policy(self) -> JoinPolicy:
        return JoinPolicy(
            opens_before_start=timedelta(minutes=self.join_opens_minutes),
            closes_after_end=timedelta(minutes=self.join_closes_minutes),
        )
