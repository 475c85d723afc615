"""A browser gets HTML; a terminal, a script or a client asking for JSON gets JSON."""

import pytest

from shared.http.negotiation import prefers_html

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


@pytest.mark.parametrize("accept", [BROWSER, "text/html", "application/json;q=0.5, text/html"])
def test_a_client_naming_html_first_gets_html(accept: str) -> None:
    assert prefers_html(accept)


@pytest.mark.parametrize(
    "accept",
    [
        None,
        "",
        "*/*",  # curl, httpx
        "application/json",
        "application/json, text/html",  # equal: JSON
        "text/html;q=0.2, application/json",
        "text/html;q=0",
        "text/html;q=oops",
    ],
)
def test_anything_else_gets_json(accept: str | None) -> None:
    assert not prefers_html(accept)
