"""Every link is built from one public base URL unless a link is configured on its own."""

from shared.links import DEV_PUBLIC_BASE_URL, link_or_default, public_link, through_gateway


def test_links_join_the_base_and_the_path_with_one_slash() -> None:
    assert public_link("https://m.example/", "/sessions/1/join") == (
        "https://m.example/sessions/1/join"
    )
    assert public_link("https://m.example", "settings/discord") == (
        "https://m.example/settings/discord"
    )
    assert through_gateway(DEV_PUBLIC_BASE_URL, "payments") == "http://127.0.0.1:8100/api/payments"


def test_a_configured_link_wins_over_the_derived_one() -> None:
    derived = link_or_default("", base_url="https://m.example", path="/settings/discord")
    explicit = link_or_default("https://app.example/d", base_url="https://m.example", path="/x")

    assert (derived, explicit) == ("https://m.example/settings/discord", "https://app.example/d")
