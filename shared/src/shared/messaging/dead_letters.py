"""Dead letters: messages a consumer gave up on, kept as raw bytes with a printable error."""

import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID, uuid4

from sqlalchemy import RowMapping, func, select, update
from sqlalchemy.dialects.postgresql import insert

from shared.db import DbConnection
from shared.messaging.failures import printable
from shared.messaging.tables import dead_letters

MAX_ID = 2**63 - 1  # bigint: a larger id cannot exist


class DeadLetterNotFound(LookupError):
    pass


class DeadLetterReason(StrEnum):
    unparseable = "unparseable"  # not JSON, or not an envelope
    type_mismatch = "type_mismatch"  # the envelope's type is not the subject's
    invalid_payload = "invalid_payload"  # the payload breaks its contract
    handler_failed = "handler_failed"  # the handler failed `max_attempts` times


@dataclass(frozen=True)
class DeadLetter:
    id: int
    consumer: str
    subject: str
    event_id: UUID
    event_type: str | None
    reason: DeadLetterReason
    body: bytes
    error: str
    attempts: int
    failed_at: datetime
    replayed_at: datetime | None

    @property
    def body_preview(self) -> str:
        """The body as printable text, cut to 500 characters."""
        return printable(self.body.decode("utf-8", errors="replace"), limit=500)


def event_id_of(body: bytes) -> UUID:
    """The envelope's id when the body has one, else a fresh id (one letter per message)."""
    try:
        document = json.loads(body)
        return UUID(str(document["id"]))
    except (ValueError, TypeError, KeyError, IndexError):
        return uuid4()


async def store(
    session: DbConnection,
    *,
    consumer: str,
    subject: str,
    body: bytes,
    reason: DeadLetterReason,
    error: str,
    attempts: int,
    event_type: str | None = None,
) -> None:
    values = {
        "reason": reason.value,
        "body": bytes(body),
        "error": printable(error),
        "attempts": attempts,
        "event_type": printable(event_type, limit=200) if event_type else None,
    }
    statement = insert(dead_letters).values(
        consumer=consumer, subject=subject, event_id=event_id_of(body), **values
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["consumer", "event_id"],
            set_={**values, "failed_at": func.now(), "replayed_at": None},
        )
    )


async def get(session: DbConnection, dead_letter_id: int) -> DeadLetter | None:
    if not 1 <= dead_letter_id <= MAX_ID:
        return None
    row = (
        await session.execute(select(dead_letters).where(dead_letters.c.id == dead_letter_id))
    ).first()
    return _letter(row._mapping) if row else None


async def list_all(session: DbConnection, *, include_replayed: bool = False) -> list[DeadLetter]:
    query = select(dead_letters).order_by(dead_letters.c.failed_at.desc()).limit(500)
    if not include_replayed:
        query = query.where(dead_letters.c.replayed_at.is_(None))
    return [_letter(row._mapping) for row in await session.execute(query)]


async def mark_replayed(session: DbConnection, dead_letter_id: int) -> None:
    await session.execute(
        update(dead_letters)
        .where(dead_letters.c.id == dead_letter_id)
        .values(replayed_at=func.now())
    )


def _letter(row: RowMapping) -> DeadLetter:
    return DeadLetter(**{**row, "reason": DeadLetterReason(row["reason"])})
