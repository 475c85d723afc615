"""Links a user follows (mail links, redirects, OAuth callbacks), built from one base URL.

Each service that builds links has a `public_base_url` setting (`<SERVICE>_PUBLIC_BASE_URL`):
the one public origin of the suite, where the gateway answers `/api/<service>/...`,
`/webhooks/...` and `/oauth/...` and where a front-end serves its pages. In dev it is the
gateway of `mentorship dev`. A link setting left empty is derived from it; one that is set
(a front-end on another host) wins.
"""

DEV_PUBLIC_BASE_URL = "http://127.0.0.1:8100"  # the dev gateway (deploy/gateway/routes.toml)


def public_link(base_url: str, path: str) -> str:
    """`path` under `base_url`, with exactly one slash between them."""
    return f"{base_url.rstrip('/')}/{path.lstrip('/')}"


def through_gateway(base_url: str, service: str) -> str:
    """Where a service's own API is reached publicly: `<base>/api/<service>`."""
    return public_link(base_url, f"/api/{service}")


def link_or_default(explicit: str, *, base_url: str, path: str) -> str:
    """The configured link if there is one, else `path` under the public base URL."""
    return explicit or public_link(base_url, path)
