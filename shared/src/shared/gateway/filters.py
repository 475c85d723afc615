"""The gateway's HTTP filters: CORS, bearer-token verification (jwt_authn), per-client rate limit,
body size limit. Each function returns one entry of Envoy's `http_filters` (or its route part)."""

import base64
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from shared.gateway.routes import PublicPath, RateLimit

JWT_PROVIDER = "suite"


def typed(name: str) -> str:
    """The `@type` of an Envoy config message (`extensions.filters.http.cors.v3.Cors`)."""
    return f"type.googleapis.com/envoy.{name}"


JWKS_CLUSTER = "jwks"
ORIGIN_PATTERN = re.compile(r"^https?://[A-Za-z0-9.*-]+(:(\*|[0-9]{1,5}))?$")
# Headers a browser front-end sends beyond the CORS-safelisted ones.
CORS_ALLOW_HEADERS = ("authorization", "content-type", "idempotency-key", "x-request-id")
CORS_EXPOSE_HEADERS = (
    "x-request-id",
    "retry-after",
    "location",
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    # The services' per-group fields (decision 0021, draft-ietf-httpapi-ratelimit-headers-09).
    "ratelimit",
    "ratelimit-policy",
)
CORS_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class JwtSettings:
    """The same keys the services use: exactly one of a dev secret (HS256, dev mode), a JWKS
    URL (RS256, outside dev) or a PEM public key (RS256)."""

    dev_secret: str = ""
    jwks_url: str = ""
    public_key_pem: str = ""
    issuer: str = ""
    audience: str = ""

    def __post_init__(self) -> None:
        given = [bool(self.dev_secret), bool(self.jwks_url), bool(self.public_key_pem)]
        if sum(given) != 1:
            raise ValueError(
                "JwtSettings needs exactly one of dev_secret, jwks_url, public_key_pem"
            )
        if self.jwks_url and urlsplit(self.jwks_url).scheme != "https":
            raise ValueError("the JWKS URL must be https://")


def _local_jwks(jwt: JwtSettings) -> str:
    if jwt.dev_secret:
        secret = base64.urlsafe_b64encode(jwt.dev_secret.encode()).rstrip(b"=").decode()
        keys = [{"kty": "oct", "alg": "HS256", "k": secret}]
    else:
        from jwt.algorithms import RSAAlgorithm  # PyJWT[crypto], a kernel dependency

        key = json.loads(
            RSAAlgorithm.to_jwk(RSAAlgorithm(RSAAlgorithm.SHA256).prepare_key(jwt.public_key_pem))
        )
        keys = [{**key, "alg": "RS256", "use": "sig"}]
    return json.dumps({"keys": keys})


def jwt_filter(jwt: JwtSettings, public_paths: Sequence[PublicPath]) -> dict[str, Any]:
    """Verify a bearer token when one is sent (401 if it is bad); let anonymous calls through
    (the services decide which routes need a user); never look at webhooks and callbacks."""
    provider: dict[str, Any] = {
        "from_headers": [{"name": "Authorization", "value_prefix": "Bearer "}],
        "forward": True,  # the services verify the token again
    }
    if jwt.issuer:
        provider["issuer"] = jwt.issuer
    if jwt.audience:
        provider["audiences"] = [jwt.audience]
    if jwt.jwks_url:
        provider["remote_jwks"] = {
            "http_uri": {"uri": jwt.jwks_url, "cluster": JWKS_CLUSTER, "timeout": "5s"},
            "cache_duration": "600s",
            "async_fetch": {"fast_listener": False},
            "retry_policy": {"num_retries": 3},
        }
    else:
        provider["local_jwks"] = {"inline_string": _local_jwks(jwt)}
    rules: list[dict[str, Any]] = [{"match": {"path": public.path}} for public in public_paths]
    rules.append(
        {
            "match": {"prefix": "/"},
            "requires": {
                "requires_any": {
                    "requirements": [{"provider_name": JWT_PROVIDER}, {"allow_missing": {}}]
                }
            },
        }
    )
    return {
        "name": "envoy.filters.http.jwt_authn",
        "typed_config": {
            "@type": typed("extensions.filters.http.jwt_authn.v3.JwtAuthentication"),
            "providers": {JWT_PROVIDER: provider},
            "rules": rules,
        },
    }


def jwks_cluster(jwks_url: str) -> dict[str, Any]:
    """The upstream Envoy fetches the JWKS from (TLS, SNI = the URL's host)."""
    parts = urlsplit(jwks_url)
    host = parts.hostname or ""
    return {
        "name": JWKS_CLUSTER,
        "type": "LOGICAL_DNS",
        "dns_lookup_family": "V4_PREFERRED",
        "connect_timeout": "5s",
        "load_assignment": {
            "cluster_name": JWKS_CLUSTER,
            "endpoints": [{"lb_endpoints": [_endpoint(host, parts.port or 443)]}],
        },
        "transport_socket": {
            "name": "envoy.transport_sockets.tls",
            "typed_config": {
                "@type": typed("extensions.transport_sockets.tls.v3.UpstreamTlsContext"),
                "sni": host,
            },
        },
    }


def _endpoint(host: str, port: int) -> dict[str, Any]:
    return {"endpoint": {"address": {"socket_address": {"address": host, "port_value": port}}}}


def origin_regex(origin: str) -> str:
    """`http://localhost:*` -> a regex for that origin on any port; `*` in a host is one label."""
    if not ORIGIN_PATTERN.match(origin):
        raise ValueError(
            f"CORS origin {origin!r} must look like scheme://host[:port] "
            "(`*` for any port or one host label), without a path"
        )
    scheme, rest = origin.split("://", 1)
    host, _, port = rest.partition(":")
    pattern = re.escape(scheme) + "://" + re.escape(host).replace(r"\*", "[A-Za-z0-9-]+")
    if port == "*":
        pattern += "(:[0-9]{1,5})?"
    elif port:
        pattern += ":" + port
    return f"^{pattern}$"


def cors_filter() -> dict[str, Any]:
    return {
        "name": "envoy.filters.http.cors",
        "typed_config": {"@type": typed("extensions.filters.http.cors.v3.Cors")},
    }


def cors_policy(origins: Sequence[str]) -> dict[str, Any]:
    """The virtual host's CORS policy: preflights from `origins` answered by the gateway."""
    return {
        "@type": typed("extensions.filters.http.cors.v3.CorsPolicy"),
        "allow_origin_string_match": [
            {"safe_regex": {"regex": origin_regex(origin)}} for origin in origins
        ],
        "allow_methods": ", ".join(CORS_METHODS),
        "allow_headers": ", ".join(CORS_ALLOW_HEADERS),
        "expose_headers": ", ".join(CORS_EXPOSE_HEADERS),
        "max_age": "600",
        "allow_credentials": False,  # bearer tokens travel in a header, never in cookies
    }


def _bucket(tokens: int, per_second: int) -> dict[str, Any]:
    return {"max_tokens": tokens, "tokens_per_fill": per_second, "fill_interval": "1s"}


def rate_limit_filter(limit: RateLimit) -> dict[str, Any]:
    """A token bucket per client address (the connection's peer; `use_remote_address`)."""
    always = {"numerator": 100, "denominator": "HUNDRED"}
    return {
        "name": "envoy.filters.http.local_ratelimit",
        "typed_config": {
            "@type": typed("extensions.filters.http.local_ratelimit.v3.LocalRateLimit"),
            "stat_prefix": "per_client",
            "filter_enabled": {"default_value": always, "runtime_key": "gateway.rl_enabled"},
            "filter_enforced": {"default_value": always, "runtime_key": "gateway.rl_enforced"},
            "rate_limits": [{"actions": [{"remote_address": {}}]}],
            "descriptors": [
                {
                    "entries": [{"key": "remote_address"}],  # no value: one bucket per address
                    "token_bucket": _bucket(limit.burst, limit.requests_per_second),
                }
            ],
            "max_dynamic_descriptors": 10_000,
            "enable_x_ratelimit_headers": "DRAFT_VERSION_03",
        },
    }


BUFFER_FILTER = "envoy.filters.http.buffer"


def buffer_filter(default_max_bytes: int) -> dict[str, Any]:
    """Bodies are read whole before a service sees them; past a route's limit: 413."""
    return {
        "name": BUFFER_FILTER,
        "typed_config": {
            "@type": typed("extensions.filters.http.buffer.v3.Buffer"),
            "max_request_bytes": default_max_bytes,
        },
    }


def body_limit(max_bytes: int) -> dict[str, Any]:
    """A route's `typed_per_filter_config` that sets its own body limit."""
    return {
        BUFFER_FILTER: {
            "@type": typed("extensions.filters.http.buffer.v3.BufferPerRoute"),
            "buffer": {"max_request_bytes": max_bytes},
        }
    }
