"""Operator endpoints every service has: dead letters, due jobs and the dev clock."""

from datetime import datetime
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from shared.auth import Admin
from shared.errors import DomainError, NotFound
from shared.http.admin_clock import admin_clock_router
from shared.http.deps import ReadDb, ServiceRuntime
from shared.messaging import dead_letters
from shared.messaging.consumers import NotReplayable
from shared.messaging.dead_letters import DeadLetterReason
from shared.messaging.failures import describe_error, is_infrastructure_failure


class DeadLetterRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    consumer: str
    subject: str
    event_id: UUID
    event_type: str | None = Field(description="the envelope's type, when it had one")
    reason: DeadLetterReason
    error: str
    body_preview: str = Field(description="the message as printable text, cut to 500 chars")
    attempts: int
    failed_at: datetime
    replayed_at: datetime | None


class ReplayFailed(DomainError):
    code = "REPLAY_FAILED"


class DeadLetterNotReplayable(DomainError):
    code = "DEAD_LETTER_NOT_REPLAYABLE"


def admin_router() -> APIRouter:
    router = APIRouter(prefix="/v1/admin", tags=["operations"])

    @router.get("/dead-letters", response_model=list[DeadLetterRead])
    async def list_dead_letters(
        db: ReadDb, _: Admin, include_replayed: bool = False
    ) -> list[DeadLetterRead]:
        letters = await dead_letters.list_all(db, include_replayed=include_replayed)
        return [DeadLetterRead.model_validate(letter) for letter in letters]

    @router.post("/dead-letters/{dead_letter_id}/replay")
    async def replay_dead_letter(
        dead_letter_id: int, _: Admin, runtime: ServiceRuntime
    ) -> dict[str, object]:
        consumers = runtime.bus.consumers
        try:
            applied = await consumers.replay(dead_letter_id)
        except dead_letters.DeadLetterNotFound as exc:
            raise NotFound(f"no dead letter {dead_letter_id}") from exc
        except NotReplayable as exc:
            raise DeadLetterNotReplayable(str(exc)) from exc
        except Exception as exc:
            if is_infrastructure_failure(exc):
                raise  # the database is down: a 503, not the letter's fault
            raise ReplayFailed(f"the handler failed again: {describe_error(exc)}") from exc
        return {"id": dead_letter_id, "applied": applied}

    @router.post("/jobs/{name}/run")
    async def run_job(name: str, _: Admin, runtime: ServiceRuntime) -> dict[str, object]:
        runner = runtime.jobs
        if name not in runner.jobs:
            raise NotFound(f"no job {name}; jobs: {sorted(runner.jobs)}")
        return {"job": name, "handled": await runner.run_now(name)}

    router.include_router(admin_clock_router())
    return router
