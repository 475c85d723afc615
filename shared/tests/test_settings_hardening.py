"""Outside dev mode, settings refuse placeholders that deploy templates ship, without echoing."""

import pytest
from pydantic import ValidationError

from shared.settings import ServiceSettings

REAL = {"dev_mode": False, "jwt_jwks_url": "https://clerk.example/.well-known/jwks.json"}


@pytest.mark.parametrize("password", ["change-me", "CHANGEME", "PASSWORD", "postgres"])
def test_a_placeholder_database_password_is_refused_outside_dev_mode(password: str) -> None:
    url = f"postgresql+asyncpg://packs:{password}@db.internal:5432/packs"
    with pytest.raises(ValidationError, match="placeholder password") as error:
        ServiceSettings(**REAL, database_url=url)
    assert password not in str(error.value)  # never echoed
    assert ServiceSettings(dev_mode=True, database_url=url).dev_mode


def test_a_real_or_absent_database_password_is_accepted() -> None:
    url = "postgresql+asyncpg://packs:Zq8-v1Xb9w@db.internal:5432/packs"
    assert ServiceSettings(**REAL, database_url=url).database_url == url
    assert ServiceSettings(**REAL, database_url="postgresql+asyncpg://packs@db/packs")


def test_an_http_jwks_url_is_refused_outside_dev_mode() -> None:
    with pytest.raises(ValidationError, match="https://"):
        ServiceSettings(dev_mode=False, jwt_jwks_url="http://clerk.example/jwks")
    assert ServiceSettings(dev_mode=True, jwt_jwks_url="http://127.0.0.1:9/jwks").dev_mode


def test_a_refused_setting_does_not_echo_its_value() -> None:
    with pytest.raises(ValidationError) as error:
        ServiceSettings(**REAL, database_pool_size="sk_live_secret_value")
    assert "sk_live_secret_value" not in str(error.value)
