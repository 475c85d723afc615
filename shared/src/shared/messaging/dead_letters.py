"""Dead letters: events a consumer gave up on, with their error; listed and replayable."""

import json
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert

from shared.db import DbSession
from shared.messaging.tables import dead_letters


class DeadLetterNotFound(LookupError):
    pass


@dataclass(frozen=True)
class DeadLetter:
    id: int
    consumer: str
    subject: str
    event_id: UUID
    envelope: dict
    error: str
    attempts: int
    failed_at: datetime
    replayed_at: datetime | None


def _parse(body: bytes) -> tuple[UUID, dict]:
    """Event id and JSON of a message body, even when the body is not a valid envelope."""
    try:
        document = json.loads(body)
    except ValueError:
        return uuid4(), {"raw": body.decode("utf-8", errors="replace")}
    if not isinstance(document, dict):
        return uuid4(), {"raw": document}
    try:
        return UUID(str(document.get("id"))), document
    except ValueError:
        return uuid4(), document


async def store(
    session: DbSession, *, consumer: str, subject: str, body: bytes, error: str, attempts: int
) -> None:
    event_id, envelope = _parse(body)
    statement = insert(dead_letters).values(
        consumer=consumer,
        subject=subject,
        event_id=event_id,
        envelope=envelope,
        error=error,
        attempts=attempts,
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["consumer", "event_id"],
            set_={
                "error": error,
                "attempts": attempts,
                "failed_at": func.now(),
                "replayed_at": None,
            },
        )
    )


async def get(session: DbSession, dead_letter_id: int) -> DeadLetter | None:
    row = (
        await session.execute(select(dead_letters).where(dead_letters.c.id == dead_letter_id))
    ).first()
    return DeadLetter(**row._mapping) if row else None


async def list_all(session: DbSession, *, include_replayed: bool = False) -> list[DeadLetter]:
    query = select(dead_letters).order_by(dead_letters.c.failed_at.desc()).limit(500)
    if not include_replayed:
        query = query.where(dead_letters.c.replayed_at.is_(None))
    return [DeadLetter(**row._mapping) for row in await session.execute(query)]


async def mark_replayed(session: DbSession, dead_letter_id: int) -> None:
    await session.execute(
        update(dead_letters)
        .where(dead_letters.c.id == dead_letter_id)
        .values(replayed_at=func.now())
    )
