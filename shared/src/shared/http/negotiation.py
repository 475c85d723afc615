"""Content negotiation for the few routes that answer a browser (HTML) and a client (JSON)."""

JSON_TYPES = ("application/json", "application/problem+json")


def _quality(media_range: str) -> tuple[str, float]:
    kind, *params = (part.strip() for part in media_range.split(";"))
    quality = 1.0
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                quality = float(value)
            except ValueError:
                quality = 0.0
    return kind.lower(), quality


def prefers_html(accept: str | None) -> bool:
    """True when the client names `text/html` above JSON (a browser); else JSON is meant.

    Browsers list `text/html` in every navigation and form post; curl, httpx and scripts send
    `*/*` or nothing, and get JSON.
    """
    html = json = 0.0
    for media_range in (accept or "").split(","):
        kind, quality = _quality(media_range)
        if kind == "text/html":
            html = max(html, quality)
        elif kind in JSON_TYPES or (kind.startswith("application/") and kind.endswith("+json")):
            json = max(json, quality)
    return html > 0 and html > json
