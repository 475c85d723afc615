"""Settings of the packs service (environment variables with the PACKS_ prefix)."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from packs.domain.policy import Policy
from shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PACKS_", extra="ignore")

    service_name: str = "packs"
    default_capacity: int = Field(10, ge=0, description="seats of a mentor never configured")
    hold_minutes: int = Field(30, gt=0, description="checkout hold when payments names no end")
    hold_max_hours: int = Field(24, gt=0, description="longest hold payments may ask for")
    grace_hours: int = Field(72, gt=0, description="seat kept after the last credit is used")
    grace_warning_hours: int = Field(12, gt=0, description="warn this long before grace ends")
    offer_hours: int = Field(24, gt=0, description="a waitlist offer holds its seat this long")
    job_batch_size: int = Field(100, gt=0, description="rows one due job claims per round")

    def policy(self) -> Policy:
        return Policy.from_hours(
            default_capacity=self.default_capacity,
            hold_minutes=self.hold_minutes,
            hold_max_hours=self.hold_max_hours,
            grace_hours=self.grace_hours,
            grace_warning_hours=self.grace_warning_hours,
            offer_hours=self.offer_hours,
        )
