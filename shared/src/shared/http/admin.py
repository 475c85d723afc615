"""Operator endpoints every service has: dead letters and due jobs."""

from datetime import datetime
from uuid import UUID

from fastapi import APIRouter, Request
from pydantic import BaseModel

from shared.auth import AdminUser
from shared.errors import DomainError, NotFound
from shared.messaging import dead_letters


class DeadLetterRead(BaseModel):
    id: int
    consumer: str
    subject: str
    event_id: UUID
    error: str
    attempts: int
    failed_at: datetime
    replayed_at: datetime | None


class ReplayFailed(DomainError):
    code = "REPLAY_FAILED"


def admin_router() -> APIRouter:
    router = APIRouter(prefix="/v1/admin", tags=["operations"])

    @router.get("/dead-letters", response_model=list[DeadLetterRead])
    async def list_dead_letters(
        request: Request, _: AdminUser, include_replayed: bool = False
    ) -> list[dead_letters.DeadLetter]:
        async with request.app.state.runtime.session_factory() as session:
            return await dead_letters.list_all(session, include_replayed=include_replayed)

    @router.post("/dead-letters/{dead_letter_id}/replay")
    async def replay_dead_letter(request: Request, dead_letter_id: int, _: AdminUser) -> dict:
        consumers = request.app.state.runtime.bus.consumers
        try:
            applied = await consumers.replay(dead_letter_id)
        except dead_letters.DeadLetterNotFound as exc:
            raise NotFound(f"no dead letter {dead_letter_id}") from exc
        except Exception as exc:
            raise ReplayFailed(f"the handler failed again: {exc!r}") from exc
        return {"id": dead_letter_id, "applied": applied}

    @router.post("/jobs/{name}/run")
    async def run_job(request: Request, name: str, _: AdminUser) -> dict:
        runner = request.app.state.runtime.jobs
        if name not in runner.jobs:
            raise NotFound(f"no job {name}; jobs: {sorted(runner.jobs)}")
        return {"job": name, "handled": await runner.run_now(name)}

    return router
