"""Agora settings: a local app in dev mode; outside it, no start without real credentials."""

import pytest
from pydantic import ValidationError

from video.config import Settings

REAL = {
    "dev_mode": False,
    "jwt_jwks_url": "https://clerk.example.test/.well-known/jwks.json",
    "agora_app_id": "0123456789abcdef0123456789abcdef",
    "agora_app_certificate": "fedcba9876543210fedcba9876543210",
    "agora_ncs_secret": "a-real-notifications-secret",
}


def test_dev_mode_generates_a_local_app_the_same_in_every_process():
    first, second = Settings(dev_mode=True).agora(), Settings(dev_mode=True).agora()
    assert first == second
    assert len(first.app_id) == 32 and len(first.certificate) == 32 and first.ncs_secret


def test_outside_dev_mode_real_credentials_are_used_as_given():
    app = Settings(**REAL).agora()
    assert (app.app_id, app.certificate) == (REAL["agora_app_id"], REAL["agora_app_certificate"])


@pytest.mark.parametrize("missing", ["agora_app_id", "agora_app_certificate", "agora_ncs_secret"])
def test_outside_dev_mode_a_missing_agora_credential_refuses_to_start(missing):
    with pytest.raises(ValidationError):
        Settings(**{**REAL, missing: ""})


def test_an_app_id_not_in_agoras_format_is_refused():
    with pytest.raises(ValidationError):
        Settings(**{**REAL, "agora_app_id": "not-an-app-id"})
