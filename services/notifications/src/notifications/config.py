from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFICATIONS_", extra="ignore")

    service_name: str = "notifications"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_from: str = "Mentorship <no-reply@mentorship.localhost>"
    discord_bot_token: SecretStr = SecretStr("")

    def secret_values(self) -> dict[str, str]:
        """The Discord bot token must be real outside dev mode."""
        return {"NOTIFICATIONS_DISCORD_BOT_TOKEN": self.discord_bot_token.get_secret_value()}
