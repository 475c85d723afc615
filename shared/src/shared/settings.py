"""Settings every service shares; each service subclasses with its own env prefix."""

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from shared.auth_dev import DEV_JWT_SECRET
from shared.logging import LogFormat

PLACEHOLDER_MARKERS = ("change-me", "changeme", "placeholder", "dev-secret", "xxx")


def is_placeholder(value: str) -> bool:
    """True for empty or obviously fake secrets that must never reach production."""
    lowered = value.lower()
    return not value or any(marker in lowered for marker in PLACEHOLDER_MARKERS)


# How long the domain stream keeps an event: the most a deployment may set (the inboxes are
# pruned after twice this, so a redelivered event always finds its inbox row).
EVENT_RETENTION_SECONDS = 7 * 24 * 3600.0
NATS_SCHEMES = ("nats", "tls", "ws", "wss")


def split_servers(nats_url: str) -> list[str]:
    """The servers of a comma-separated NATS URL setting, in order, blanks dropped."""
    return [server.strip() for server in nats_url.split(",") if server.strip()]


WEAK_DATABASE_PASSWORDS = frozenset({"password", "postgres", "secret", "admin", "root"})


def database_password(url: str) -> str | None:
    """The password in a database URL; None when it has none (peer, certificate, IAM)."""
    try:
        return make_url(url).password
    except ArgumentError:
        return None


class ServiceSettings(BaseSettings):
    """Common settings; subclass per service with `env_prefix="<NAME>_"`."""

    # Validation errors never echo what they refuse: the input holds secrets.
    model_config = SettingsConfigDict(extra="ignore", hide_input_in_errors=True)

    service_name: str = "service"
    dev_mode: bool = False
    log_level: str = "INFO"
    log_format: LogFormat = LogFormat.auto
    # Share of HTTP requests with an access line: None is all in dev mode, none outside it.
    access_log_sample_rate: float | None = Field(default=None, ge=0, le=1)
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
    database_pool_size: int = 10
    # One server, or several of one cluster comma-separated: the client gets every one of
    # them (`nats_servers`), so it reconnects to another when the one it uses dies.
    nats_url: str = "nats://127.0.0.1:4222"
    # Prefixes every subject and the stream name, so that several deployments (or test
    # runs) can share one NATS server without seeing each other's events.
    nats_namespace: str = ""
    # The domain stream's copies (1 on one server, 3 on a three-node cluster) and its age
    # limit; every service applies them to the stream at start (decision 0034). The dev
    # clock's KV bucket has the same replicas.
    stream_replicas: int = Field(default=1, ge=1, le=5)
    stream_max_age_seconds: float = Field(
        default=EVENT_RETENTION_SECONDS, gt=0, le=EVENT_RETENTION_SECONDS
    )
    request_timeout_seconds: float = 2.0
    jwt_dev_secret: SecretStr = SecretStr(DEV_JWT_SECRET)
    jwt_jwks_url: str = ""
    jwt_public_key: str = ""
    jwt_role_claim: str = "role"
    jwt_audience: str = ""
    jwt_issuer: str = ""
    outbox_sweep_seconds: float = 5.0
    jobs_enabled: bool = True
    jobs_interval_seconds: float = 60.0
    consumer_max_attempts: int = 5
    consumer_backoff_seconds: tuple[float, ...] = (1.0, 5.0, 30.0, 120.0)
    # Deferrals while the database is unreachable: short and growing, so that deferred events
    # land within the last step (3 s) of it coming back.
    consumer_outage_backoff_seconds: tuple[float, ...] = (0.5, 1.0, 2.0, 3.0)
    # Most messages a consumer pulls and applies in one transaction (decision 0027).
    consumer_batch_size: int = Field(default=50, ge=1, le=1_000)
    # Overload and request limits (decision 0021).
    rate_limits_enabled: bool = True
    rate_limit_storage_url: str = "memory://"  # redis://host:6379/0 to share across replicas
    rate_limit_key_prefix: str = "mentorship-rl"
    rate_limit_overrides: dict[str, str] = {}  # group -> limits, e.g. {"search": "600/minute"}
    max_requests_in_flight: int | None = Field(default=None, ge=0)  # None: 4 x pool; 0: none
    database_pool_timeout_seconds: float = Field(default=2.0, gt=0)  # then 503 DATABASE_BUSY
    body_read_timeout_seconds: float = Field(default=10.0, gt=0)  # the whole body, then 408

    @property
    def requests_in_flight_limit(self) -> int:
        """The in-flight bound in force; 0 means none."""
        if self.max_requests_in_flight is None:
            return 4 * self.database_pool_size
        return self.max_requests_in_flight

    @property
    def nats_servers(self) -> list[str]:
        """Every server of `nats_url`, for the client's server pool."""
        return split_servers(self.nats_url)

    @model_validator(mode="after")
    def _check_nats_servers(self) -> "ServiceSettings":
        servers = self.nats_servers
        if not servers:
            raise ValueError("NATS_URL names no server")
        for number, server in enumerate(servers, 1):
            # Never the URL itself in the message: it may hold a user and password.
            scheme, sep, rest = server.partition("://")
            if not sep or scheme not in NATS_SCHEMES or not rest.rpartition("@")[2]:
                raise ValueError(
                    f"NATS_URL server {number} of {len(servers)} is not a URL like "
                    f"nats://host:4222 (schemes: {', '.join(NATS_SCHEMES)})"
                )
        return self

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> "ServiceSettings":
        if self.dev_mode:
            return self
        if not (self.jwt_jwks_url or self.jwt_public_key):
            raise ValueError(
                "outside dev mode a JWT verifier is required: set JWT_JWKS_URL or JWT_PUBLIC_KEY"
            )
        if self.jwt_jwks_url and not self.jwt_jwks_url.startswith("https://"):
            raise ValueError("outside dev mode JWT_JWKS_URL must be an https:// URL")
        password = database_password(self.database_url)
        if password is not None and (
            is_placeholder(password) or password.lower() in WEAK_DATABASE_PASSWORDS
        ):
            raise ValueError(
                "DATABASE_URL holds a placeholder password; set a real one or dev mode"
            )
        for name, value in self.secret_values().items():
            if is_placeholder(value):
                raise ValueError(f"{name} holds a placeholder secret; set a real one or dev mode")
        return self

    def secret_values(self) -> dict[str, str]:
        """Secrets to vet outside dev mode; services add their provider keys."""
        return {}
