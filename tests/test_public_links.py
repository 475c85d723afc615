"""Every link a user follows (mails, redirects, OAuth callbacks) starts at one public base URL."""

import importlib
import uuid

import pytest

from shared.links import DEV_PUBLIC_BASE_URL

LINK_SETTINGS = {
    "booking": ["join_url_base", "google_redirect_uri", "calendar_feed_base"],
    "notifications": ["connect_discord_url", "discord_redirect_uri", "mentor_checkout_url"],
    "payments": ["success_url", "cancel_url"],
}


def settings_of(service: str, monkeypatch: pytest.MonkeyPatch, **env: str):
    for name, value in env.items():
        monkeypatch.setenv(f"{service.upper()}_{name.upper()}", value)
    return importlib.import_module(f"{service}.config").Settings(dev_mode=True)


@pytest.mark.parametrize("service", sorted(LINK_SETTINGS))
def test_in_dev_every_link_starts_at_the_gateway(service, monkeypatch) -> None:
    settings = settings_of(service, monkeypatch)

    links = [getattr(settings, field) for field in LINK_SETTINGS[service]]

    assert settings.public_base_url == DEV_PUBLIC_BASE_URL == "http://127.0.0.1:8100"
    assert all(link.startswith(f"{DEV_PUBLIC_BASE_URL}/") for link in links), links


@pytest.mark.parametrize("service", sorted(LINK_SETTINGS))
def test_one_setting_moves_every_link_of_a_service(service, monkeypatch) -> None:
    settings = settings_of(service, monkeypatch, public_base_url="https://mentorship.example")

    links = [getattr(settings, field) for field in LINK_SETTINGS[service]]

    assert all(link.startswith("https://mentorship.example/") for link in links), links


def test_a_front_end_on_its_own_host_still_wins(monkeypatch) -> None:
    settings = settings_of(
        "booking",
        monkeypatch,
        public_base_url="https://mentorship.example",
        join_url_base="https://app.example/sessions",
    )
    session = uuid.uuid4()

    assert settings.policy().join_url(session) == f"https://app.example/sessions/{session}/join"
    assert settings.google_redirect_uri == "https://mentorship.example/oauth/google/callback"


def test_the_mailed_links_name_the_gateway_s_paths(monkeypatch) -> None:
    booking = settings_of("booking", monkeypatch)
    notifications = settings_of("notifications", monkeypatch)
    payments = settings_of("payments", monkeypatch)
    session = uuid.uuid4()

    assert booking.policy().join_url(session) == f"{DEV_PUBLIC_BASE_URL}/sessions/{session}/join"
    assert notifications.connect_discord_url == f"{DEV_PUBLIC_BASE_URL}/settings/discord"
    assert notifications.discord_redirect_uri == f"{DEV_PUBLIC_BASE_URL}/oauth/discord/callback"
    assert payments.public_api_url == f"{DEV_PUBLIC_BASE_URL}/api/payments"
    assert payments.success_url == f"{DEV_PUBLIC_BASE_URL}/checkout/{{order_id}}/success"


@pytest.mark.parametrize("service", sorted(LINK_SETTINGS))
def test_no_default_names_a_front_end_port_that_does_not_exist(service, monkeypatch) -> None:
    settings = settings_of(service, monkeypatch)

    assert ":3000" not in settings.model_dump_json()
    assert "localhost:" not in settings.model_dump_json()


def test_make_dev_points_every_service_s_links_at_its_gateway(monkeypatch) -> None:
    from mentorship.dev import Infra, _service_env
    from mentorship.services import get_service

    monkeypatch.delenv("BOOKING_PUBLIC_BASE_URL", raising=False)
    infra = Infra(nats_url="nats://127.0.0.1:1", database_urls={"booking": "x"}, gateway_port=18100)

    env = _service_env(get_service("booking"), infra)

    assert env["BOOKING_PUBLIC_BASE_URL"] == "http://127.0.0.1:18100"
