"""Request body sizes per route, the same numbers as the gateway's route table
(`deploy/gateway/routes.toml`; a test keeps them equal). Service images do not carry `deploy/`,
so the services hold their copy here."""

DEFAULT_BODY_BYTES = 1_048_576  # [gateway] max_body_bytes: a service the table does not name
SERVICE_BODY_BYTES = {
    "payments": 65_536,
    "packs": 65_536,
    "booking": 262_144,
    "notifications": 65_536,
    "video": 65_536,
    "search": 65_536,
}
# The public paths' own limits, by (service, upstream path).
ROUTE_BODY_BYTES = {
    ("payments", "/v1/webhooks/stripe"): 524_288,
    ("payments", "/v1/webhooks/paypal"): 524_288,
    ("notifications", "/v1/webhooks/clerk"): 262_144,
    ("video", "/v1/agora/events"): 65_536,
    ("booking", "/v1/mentors/google/callback"): 4_096,
    ("notifications", "/v1/discord/callback"): 4_096,
}


def body_limit(service: str, path: str) -> int:
    """The largest request body, in bytes, that `path` of `service` takes."""
    return ROUTE_BODY_BYTES.get(
        (service, path), SERVICE_BODY_BYTES.get(service, DEFAULT_BODY_BYTES)
    )
