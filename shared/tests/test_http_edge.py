"""The HTTP edge: 401/403 problems for auth, 422 problems for bad input, health and readiness."""

import uuid

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from shared.auth_dev import DEV_JWT_SECRET
from shared.settings import ServiceSettings
from shared.testing.plugin import auth_headers
from video.config import Settings
from video.main import ALEMBIC_INI, create_app

PROBLEM = "application/problem+json"


@pytest.fixture
async def video(start_service):
    return await start_service(create_app, Settings, ALEMBIC_INI)


def assert_problem(response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status and body["code"] == code and body["title"]


async def test_a_missing_token_is_a_401_problem(video):
    response = await video.client.get(f"/v1/sessions/{uuid.uuid4()}")
    assert_problem(response, 401, "UNAUTHORIZED")


@pytest.mark.parametrize(
    "header",
    [
        "Bearer not-a-jwt",
        "Basic dXNlcjpwYXNz",
        "Bearer " + jwt.encode({"sub": "u", "exp": 2**31}, "a-wrong-secret-of-thirty-two-bytes!"),
    ],
)
async def test_a_bad_token_is_a_401_problem(video, header):
    response = await video.client.get(
        f"/v1/sessions/{uuid.uuid4()}", headers={"Authorization": header}
    )
    assert_problem(response, 401, "UNAUTHORIZED")


async def test_a_token_without_a_known_role_is_a_401_problem(video):
    token = jwt.encode({"sub": "u", "role": "pirate", "exp": 2**31}, DEV_JWT_SECRET)
    response = await video.client.get(
        f"/v1/sessions/{uuid.uuid4()}", headers={"Authorization": f"Bearer {token}"}
    )
    assert_problem(response, 401, "UNAUTHORIZED")


@pytest.mark.parametrize("role", [["admin"], {"admin": True}, ["student", "admin"], 7, None])
async def test_a_token_whose_role_is_not_a_string_is_a_401_problem(video, role):
    token = jwt.encode({"sub": "u", "role": role, "exp": 2**31}, DEV_JWT_SECRET)
    response = await video.client.get(
        f"/v1/sessions/{uuid.uuid4()}", headers={"Authorization": f"Bearer {token}"}
    )
    assert_problem(response, 401, "UNAUTHORIZED")
    assert "'role' claim" in response.json()["detail"]


async def test_the_wrong_role_is_a_403_problem(video):
    response = await video.client.get(
        "/v1/admin/dead-letters", headers=auth_headers("student-1", "student")
    )
    assert_problem(response, 403, "FORBIDDEN")


async def test_an_admin_passes_the_role_check(video):
    response = await video.client.get("/v1/admin/dead-letters", headers=auth_headers("a", "admin"))
    assert response.status_code == 200 and response.json() == []


async def test_a_malformed_path_parameter_is_a_422_problem_not_a_500(video):
    response = await video.client.get(
        "/v1/sessions/not-a-uuid", headers=auth_headers("u", "student")
    )
    assert_problem(response, 422, "VALIDATION_FAILED")
    assert response.json()["errors"][0]["loc"] == ["path", "session_id"]


async def test_an_unknown_route_is_a_404_problem(video):
    assert_problem(await video.client.get("/v1/nowhere"), 404, "NOT_FOUND")


async def test_rs256_tokens_verify_against_a_configured_public_key(start_service):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    service = await start_service(create_app, Settings, ALEMBIC_INI, jwt_public_key=public_pem)
    good = jwt.encode({"sub": "u1", "role": "admin", "exp": 2**31}, key, algorithm="RS256")
    response = await service.client.get(
        "/v1/admin/dead-letters", headers={"Authorization": f"Bearer {good}"}
    )
    assert response.status_code == 200
    dev_token = auth_headers("u1", "admin")  # HS256 is not accepted once a real key is set
    response = await service.client.get("/v1/admin/dead-letters", headers=dev_token)
    assert_problem(response, 401, "UNAUTHORIZED")


async def test_health_and_readiness_report_database_nats_and_migrations(video):
    assert (await video.client.get("/healthz")).json()["status"] == "ok"
    ready = await video.client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok", "migrations": "ok", "nats": "ok"}
    metrics = await video.client.get("/metrics")
    assert "events_published_total" in metrics.text


async def test_responses_carry_the_request_id(video):
    response = await video.client.get("/healthz", headers={"X-Request-ID": "req-123"})
    assert response.headers["X-Request-ID"] == "req-123"


def test_settings_refuse_placeholder_secrets_outside_dev_mode():
    """The kernel's rule, on the base settings every service extends."""
    with pytest.raises(ValueError, match="JWT verifier"):
        ServiceSettings(dev_mode=False)
    verified = ServiceSettings(dev_mode=False, jwt_jwks_url="https://clerk.example/jwks")
    assert verified.dev_mode is False


async def test_the_event_contracts_are_published_as_asyncapi(video):
    document = (await video.client.get("/asyncapi.json")).json()
    assert document["asyncapi"].startswith("3.")
    addresses = {channel["address"] for channel in document["channels"].values()}
    assert any(address.endswith("session.booked") for address in addresses), addresses
