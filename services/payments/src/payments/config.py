from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PAYMENTS_", extra="ignore")

    service_name: str = "payments"
    stripe_api_key: SecretStr = SecretStr("")
    stripe_webhook_secret: SecretStr = SecretStr("")
    paypal_client_id: SecretStr = SecretStr("")
    paypal_client_secret: SecretStr = SecretStr("")

    def secret_values(self) -> dict[str, str]:
        """Both providers' keys must be real outside dev mode."""
        return {
            "PAYMENTS_STRIPE_API_KEY": self.stripe_api_key.get_secret_value(),
            "PAYMENTS_STRIPE_WEBHOOK_SECRET": self.stripe_webhook_secret.get_secret_value(),
            "PAYMENTS_PAYPAL_CLIENT_ID": self.paypal_client_id.get_secret_value(),
            "PAYMENTS_PAYPAL_CLIENT_SECRET": self.paypal_client_secret.get_secret_value(),
        }
