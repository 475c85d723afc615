from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SEARCH_", extra="ignore")

    service_name: str = "search"
    # Empty: the embedded backend (Postgres) answers; set it to use a Meilisearch server.
    meilisearch_url: str = ""
    meilisearch_api_key: SecretStr = SecretStr("")
    meilisearch_index: str = "mentors"
    meilisearch_timeout_seconds: float = 5.0

    def secret_values(self) -> dict[str, str]:
        """A Meilisearch server, when one is configured, needs a real key outside dev mode."""
        if not self.meilisearch_url:
            return {}
        return {"SEARCH_MEILISEARCH_API_KEY": self.meilisearch_api_key.get_secret_value()}
