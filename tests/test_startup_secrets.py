"""No secret value appears in a service's startup error or in its logs while it starts."""

import importlib
import os
import secrets
import subprocess
import sys

import pytest
from pydantic import ValidationError

from mentorship.services import SERVICES, Service

by_name = pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)


def secret_env(service: Service) -> dict[str, str]:
    """Real-looking secrets in every variable that can hold one, and a password in the URLs."""
    values = {
        "JWT_DEV_SECRET": f"jwt-{secrets.token_hex(16)}",
        "DATABASE_URL": f"postgresql+asyncpg://app:pw{secrets.token_hex(8)}@127.0.0.1:9/db",
        "NATS_URL": f"nats://app:nats{secrets.token_hex(8)}@127.0.0.1:9",
        "STRIPE_API_KEY": f"sk_live_{secrets.token_hex(12)}",
        "STRIPE_WEBHOOK_SECRET": f"whsec_{secrets.token_hex(12)}",
        "PAYPAL_CLIENT_SECRET": f"paypal{secrets.token_hex(12)}",
        "SMTP_PASSWORD": f"smtp{secrets.token_hex(12)}",
        "AGORA_APP_CERTIFICATE": secrets.token_hex(16),
        "MEILISEARCH_API_KEY": f"meili{secrets.token_hex(12)}",
        "DISCORD_CLIENT_SECRET": f"discord{secrets.token_hex(12)}",
    }
    return {service.env_var(name): value for name, value in values.items()}


def run_service(env: dict[str, str], service: Service, seconds: float) -> tuple[int | None, str]:
    """Start the service as `mentorship dev` does; its exit code (None: still up) and output."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", service.app, "--factory", "--port", "0"],
        env={**os.environ, **env, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        output, _ = proc.communicate(timeout=seconds)
        return proc.returncode, output.decode()
    except subprocess.TimeoutExpired:
        proc.terminate()
        output, _ = proc.communicate(timeout=10)
        return None, output.decode()


def secret_parts(env: dict[str, str]) -> list[str]:
    """The values themselves, and the password inside each URL."""
    parts = []
    for value in env.values():
        if "://" in value:
            parts.append(value.split("://", 1)[1].split("@", 1)[0].split(":", 1)[1])
        else:
            parts.append(value)
    return parts


def fragments(secret: str, size: int = 6) -> set[str]:
    """Every piece of `size` characters: a truncated echo still shows one."""
    return {secret[i : i + size] for i in range(len(secret) - size + 1)}


def assert_no_secret(text: str, env: dict[str, str]) -> None:
    for secret in secret_parts(env):
        leaked = [piece for piece in fragments(secret) if piece in text]
        assert not leaked, f"part of {secret!r} leaked ({leaked[0]!r}):\n{text}"


@by_name
def test_a_refused_configuration_names_the_problem_but_no_secret(
    service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = secret_env(service)
    for name, value in (env | {service.env_var("DEV_MODE"): "false"}).items():
        monkeypatch.setenv(name, value)  # and no JWKS URL: the settings refuse to load
    settings_class = importlib.import_module(f"{service.name}.config").Settings
    with pytest.raises(ValidationError) as refused:
        settings_class()
    assert "JWT_JWKS_URL" in str(refused.value)
    assert_no_secret(str(refused.value), env)


def test_the_startup_error_printed_by_a_refused_service_holds_no_secret() -> None:
    # packs: the lightest import; the in-process test above covers every service's secrets.
    service = next(s for s in SERVICES if s.name == "packs")
    env = secret_env(service)
    code, output = run_service(env | {service.env_var("DEV_MODE"): "false"}, service, seconds=60)
    assert code not in (None, 0) and "validation error" in output.lower(), output
    assert_no_secret(output, env)
