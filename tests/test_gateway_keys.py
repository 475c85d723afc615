"""The gateway verifies tokens with the services' keys outside dev too: a PEM public key or a
JWKS URL, with the issuer and audience the services expect."""

import json
import subprocess
import time

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from mentorship.services import repo_root
from shared.embedded.gateway import envoy_binary
from shared.gateway.envoy import JwtSettings, render_envoy_config
from shared.gateway.filters import JWKS_CLUSTER
from shared.gateway.routes import default_route_table_path, load_route_table
from shared.testing.fake_http import JsonHandler, serve_in_thread

TABLE = load_route_table(default_route_table_path(repo_root()))
ISSUER = "https://clerk.example.test"
AUDIENCE = "mentorship"


class Ok(JsonHandler):
    def do_GET(self) -> None:
        self.answer(200, {"authorization": self.headers.get("Authorization", "")})


def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_pem(key: rsa.RSAPrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def signed(key: rsa.RSAPrivateKey, **claims: object) -> str:
    now = int(time.time())
    payload = {"sub": "u1", "role": "student", "exp": now + 600, "iss": ISSUER, "aud": AUDIENCE}
    return jwt.encode({**payload, **claims}, key, algorithm="RS256")


@pytest.fixture(scope="module")
def upstream():
    server = serve_in_thread(Ok)
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


async def test_an_rs256_token_is_checked_against_the_services_public_key(start_gateway, upstream):
    key, other = rsa_key(), rsa_key()
    settings = JwtSettings(public_key_pem=public_pem(key), issuer=ISSUER, audience=AUDIENCE)
    url = await start_gateway({"packs": upstream}, jwt=settings)
    async with httpx.AsyncClient(base_url=url) as client:

        async def call(token: str) -> httpx.Response:
            return await client.get(
                "/api/packs/v1/me/packs", headers={"Authorization": f"Bearer {token}"}
            )

        good = await call(signed(key))
        forged = await call(signed(other))
        foreign_issuer = await call(signed(key, iss="https://elsewhere.test"))
        foreign_audience = await call(signed(key, aud="another-app"))
        dev_token = await call(jwt.encode({"sub": "u1", "exp": int(time.time()) + 60}, "s" * 32))
    assert good.status_code == 200, good.text
    assert good.json()["authorization"].startswith("Bearer ")
    for refused in (forged, foreign_issuer, dev_token):
        assert refused.status_code == 401, refused.text
        assert refused.json()["code"] == "UNAUTHORIZED"
    assert foreign_audience.status_code == 403, foreign_audience.text
    assert foreign_audience.json()["code"] == "FORBIDDEN"


def test_outside_dev_the_jwks_is_fetched_over_tls_from_the_services_jwks_url(tmp_path):
    settings = JwtSettings(jwks_url="https://clerk.example.test/.well-known/jwks.json")
    config = render_envoy_config(
        TABLE, upstreams={}, listen_port=18100, admin_port=18901, jwt=settings
    )
    jwks = next(c for c in config["static_resources"]["clusters"] if c["name"] == JWKS_CLUSTER)
    assert jwks["transport_socket"]["typed_config"]["sni"] == "clerk.example.test"
    path = tmp_path / "envoy.json"
    path.write_text(json.dumps(config))
    check = subprocess.run(
        [str(envoy_binary()), "--mode", "validate", "-c", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"dev_secret": "s" * 32, "jwks_url": "https://x.test/jwks"}, {"jwks_url": "http://x/j"}],
)
def test_jwt_settings_take_exactly_one_https_key_source(kwargs):
    with pytest.raises(ValueError):
        JwtSettings(**kwargs)
