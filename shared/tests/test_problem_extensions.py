"""A refusal may carry machine-readable members; they never replace the problem's own."""

import httpx
from fastapi import FastAPI

from shared.errors import InvalidInput
from shared.http.problems import install_problem_handlers


async def test_a_refusal_s_extra_members_reach_the_problem_but_not_over_its_own() -> None:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/refuse")
    async def refuse() -> None:
        raise InvalidInput(
            "no", code="LENGTH_NOT_OFFERED", extra={"offered": [30, 60], "code": "OTHER"}
        )

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        answer = await client.get("/refuse")

    assert answer.status_code == 422
    body = answer.json()
    assert (body["code"], body["offered"], body["detail"]) == ("LENGTH_NOT_OFFERED", [30, 60], "no")
