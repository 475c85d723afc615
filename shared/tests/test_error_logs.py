"""The logs of error paths carry no personal data: no SQL parameters, no refused input."""

import logging

import pytest
from fastapi import APIRouter
from sqlalchemy import text

from packs.config import Settings as PacksSettings
from packs.main import ALEMBIC_INI as PACKS_ALEMBIC_INI
from packs.main import create_app as create_packs_app
from shared.http.deps import ReadDb
from shared.testing.plugin import auth_headers

EMAIL = "alice.personal@example.com"


@pytest.fixture
async def packs(start_service):
    service = await start_service(create_packs_app, PacksSettings, PACKS_ALEMBIC_INI)
    router = APIRouter()

    @router.get("/test/failing-query")
    async def failing_query(db: ReadDb) -> dict:
        await db.execute(text("SELECT CAST(:email AS integer)"), {"email": EMAIL})
        return {}

    @router.get("/test/crash")
    async def crash() -> dict:
        raise RuntimeError(f"cannot mail {EMAIL}")

    service.app.include_router(router)
    return service


async def test_a_failing_query_logs_neither_its_parameters_nor_answers_them(packs, caplog):
    caplog.set_level(logging.DEBUG)
    answer = await packs.client.get("/test/failing-query")
    assert answer.status_code == 500 and answer.json()["code"] == "INTERNAL"
    assert EMAIL not in answer.text
    assert "http.unhandled_error" in caplog.text  # the error was logged…
    assert EMAIL not in caplog.text  # …without the parameter


async def test_refused_input_is_neither_logged_nor_echoed(packs, caplog):
    caplog.set_level(logging.DEBUG)
    headers = auth_headers("m1", "mentor")
    answer = await packs.client.put(
        "/v1/mentors/m1/capacity", json={"capacity": EMAIL}, headers=headers
    )
    assert answer.status_code == 422
    token = auth_headers(EMAIL + "\x00", "student")
    assert (await packs.client.get("/v1/me/packs", headers=token)).status_code == 401
    assert EMAIL not in answer.text
    assert EMAIL not in caplog.text


async def test_a_crashing_route_is_a_logged_500_problem_without_its_message(packs, caplog):
    caplog.set_level(logging.DEBUG)
    answer = await packs.client.get("/test/crash")  # the transport would raise a re-raise
    assert answer.status_code == 500
    assert answer.headers["content-type"] == "application/problem+json"
    assert "builtins.RuntimeError" in caplog.text
    assert EMAIL not in caplog.text and EMAIL not in answer.text
