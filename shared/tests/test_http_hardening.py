"""Kernel HTTP edges: 405 with Allow, problem types that resolve, request ids we can trust."""

import nats
import pytest

from packs.config import Settings as PacksSettings
from packs.main import ALEMBIC_INI as PACKS_ALEMBIC_INI
from packs.main import create_app as create_packs_app
from shared.testing.helpers import eventually
from shared.testing.plugin import auth_headers

ADMIN = auth_headers("ops", "admin")


@pytest.fixture
async def packs(start_service):
    return await start_service(create_packs_app, PacksSettings, PACKS_ALEMBIC_INI)


async def test_a_wrong_method_is_405_naming_every_method_of_the_path(packs):
    answer = await packs.client.delete("/v1/mentors/m1/capacity", headers=ADMIN)
    assert answer.status_code == 405
    assert answer.headers["content-type"] == "application/problem+json"
    assert "PUT" in answer.headers["allow"].split(", ")
    assert answer.json()["code"] == "METHOD_NOT_ALLOWED"


async def test_a_problem_type_is_a_page_the_service_serves(packs):
    problem = (await packs.client.get("/v1/nothing-here")).json()
    assert problem["type"] == "/problems/NOT_FOUND"
    page = await packs.client.get(problem["type"])
    assert page.status_code == 200 and "NOT_FOUND (404)" in page.text
    domain = await packs.client.get("/problems/UNAUTHORIZED")
    assert domain.status_code == 200 and "401" in domain.text
    assert (await packs.client.get("/problems/NO_SUCH_CODE")).status_code == 404


@pytest.mark.parametrize("hostile", ["x" * 300, "a b", "ünïcode", ""])
async def test_an_untrustworthy_request_id_is_replaced(packs, hostile: str):
    headers = {"X-Request-ID": hostile.encode("utf-8")}
    answer = await packs.client.get("/healthz", headers=headers)
    assert answer.status_code == 200
    assert answer.headers["x-request-id"] != hostile
    assert len(answer.headers["x-request-id"]) == 36


async def test_a_plain_request_id_is_kept(packs):
    answer = await packs.client.get("/healthz", headers={"X-Request-ID": "req-42.a:b"})
    assert answer.headers["x-request-id"] == "req-42.a:b"


async def test_a_poison_message_is_listed_over_http_and_its_replay_refused(
    packs, nats_url, namespace
):
    connection = await nats.connect(nats_url)
    try:
        for _ in range(3):  # three failures in a row: the consumer is reported as failing
            await connection.jetstream().publish(
                f"{namespace}.session.completed", b"\x00\x01garbage\x00"
            )
    finally:
        await connection.close()

    async def listed() -> list[dict]:
        return (await packs.client.get("/v1/admin/dead-letters", headers=ADMIN)).json()

    async def three_listed() -> list | None:
        letters = await listed()
        return letters if len(letters) == 3 else None

    letter = (await eventually(three_listed))[0]
    ready = (await packs.client.get("/readyz")).json()
    assert ready["status"] == "degraded"
    assert ready["failing_consumers"]["packs-session-completed"]["consecutive_failures"] == 3
    metrics = (await packs.client.get("/metrics")).text
    assert 'mentorship_consumer_consecutive_failures{consumer="packs-session-completed"} 3.0' in (
        metrics
    )
    assert letter["reason"] == "unparseable" and letter["consumer"] == "packs-session-completed"
    assert "\x00" not in letter["body_preview"] + letter["error"]
    replay = await packs.client.post(f"/v1/admin/dead-letters/{letter['id']}/replay", headers=ADMIN)
    assert replay.status_code == 409
    assert replay.json()["code"] == "DEAD_LETTER_NOT_REPLAYABLE"


@pytest.mark.parametrize("dead_letter_id", ["999999", "0", "-5", "9" * 40])
async def test_replay_of_an_unknown_or_out_of_range_dead_letter_is_404(packs, dead_letter_id):
    answer = await packs.client.post(
        f"/v1/admin/dead-letters/{dead_letter_id}/replay", headers=ADMIN
    )
    assert answer.status_code == 404 and answer.json()["code"] == "NOT_FOUND"
