"""Dev tokens carry the user, the role and an expiry, signed with the dev secret."""

import jwt
import pytest

from shared.auth_dev import DEV_JWT_SECRET, mint_dev_token


def test_a_dev_token_names_the_user_and_role_and_expires() -> None:
    token = mint_dev_token(user_id="u1", role="mentor", secret=DEV_JWT_SECRET, ttl_seconds=60)
    claims = jwt.decode(token, DEV_JWT_SECRET, algorithms=["HS256"], options={"require": ["exp"]})
    assert claims["sub"] == "u1"
    assert claims["role"] == "mentor"
    assert claims["exp"] - claims["iat"] == 60


def test_the_role_claim_name_is_configurable() -> None:
    token = mint_dev_token(user_id="u1", role="admin", secret="s" * 32, role_claim="app_role")
    assert jwt.decode(token, "s" * 32, algorithms=["HS256"])["app_role"] == "admin"


def test_an_unknown_role_is_refused() -> None:
    with pytest.raises(ValueError, match="role must be one of"):
        mint_dev_token(user_id="u1", role="root", secret=DEV_JWT_SECRET)
