"""Credits, one per booked session, and their guarded status changes."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert

from packs.adapters import credit_view, reservations
from packs.adapters.repositories import CreditState, LockedPair
from packs.adapters.tables import credits
from packs.domain.model import Credit, CreditStatus, SettlementOutcome
from shared.db import AnyRow, DbConnection


def to_credit(row: AnyRow) -> Credit:
    return Credit(
        session_id=row.session_id,
        pack_id=row.pack_id,
        student_id=row.student_id,
        mentor_id=row.mentor_id,
        status=CreditStatus(row.status),
    )


async def get_credit(connection: DbConnection, session_id: UUID) -> Credit | None:
    row = (
        await connection.execute(
            select(
                credits.c.session_id,
                credits.c.pack_id,
                credits.c.student_id,
                credits.c.mentor_id,
                credits.c.status,
            ).where(credits.c.session_id == session_id)
        )
    ).first()
    return None if row is None else to_credit(row)


async def add_tombstone(connection: DbConnection, *, session_id: UUID, now: datetime) -> bool:
    """Mark a session id released before any reserve, so a late reserve cannot take a credit."""
    result = await connection.execute(
        insert(credits)
        .values(
            session_id=session_id,
            pack_id=None,
            student_id="",
            mentor_id="",
            status=CreditStatus.released,
            settled_at=now,
            outcome=SettlementOutcome.released_unreserved,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["session_id"])
        .returning(credits.c.session_id)
    )
    return result.first() is not None


async def settle(
    connection: DbConnection,
    *,
    session_id: UUID,
    to: CreditStatus,
    outcome: SettlementOutcome,
    now: datetime,
) -> UUID | None:
    """reserved → `to`, once: the pack id if this call made the change, None otherwise.

    The `status = 'reserved'` guard is what makes a credit consumed exactly once however many
    deliveries race: only one UPDATE can match it.
    """
    result = await connection.execute(
        update(credits)
        .where(credits.c.session_id == session_id, credits.c.status == CreditStatus.reserved)
        .values(status=to, outcome=outcome, settled_at=now)
        .returning(credits.c.pack_id)
    )
    pack_id: UUID | None = result.scalar_one_or_none()
    return pack_id


async def void_reserved_of_pack(connection: DbConnection, *, pack_id: UUID, now: datetime) -> int:
    result = await connection.execute(
        update(credits)
        .where(credits.c.pack_id == pack_id, credits.c.status == CreditStatus.reserved)
        .values(status=CreditStatus.void, outcome=SettlementOutcome.refunded, settled_at=now)
        .returning(credits.c.session_id)
    )
    return len(result.all())


class SqlCredits:
    """`CreditRepository` on one transaction's connection."""

    def __init__(self, connection: DbConnection) -> None:
        self._connection = connection

    async def get(self, session_id: UUID) -> Credit | None:
        return await get_credit(self._connection, session_id)

    async def state(self, session_id: UUID) -> CreditState | None:
        return await credit_view.credit_of_session(self._connection, session_id)

    async def lock_pair(self, *, student_id: str, mentor_id: str, session_id: UUID) -> LockedPair:
        return await reservations.lock_pair(
            self._connection, student_id=student_id, mentor_id=mentor_id, session_id=session_id
        )

    async def reserve(
        self,
        *,
        session_id: UUID,
        pack_id: UUID,
        student_id: str,
        mentor_id: str,
        starts_at: datetime,
        now: datetime,
    ) -> bool:
        return await reservations.reserve(
            self._connection,
            session_id=session_id,
            pack_id=pack_id,
            student_id=student_id,
            mentor_id=mentor_id,
            starts_at=starts_at,
            now=now,
        )

    async def add_tombstone(self, session_id: UUID, *, now: datetime) -> bool:
        return await add_tombstone(self._connection, session_id=session_id, now=now)

    async def settle(
        self, session_id: UUID, *, to: CreditStatus, outcome: SettlementOutcome, now: datetime
    ) -> UUID | None:
        return await settle(
            self._connection, session_id=session_id, to=to, outcome=outcome, now=now
        )

    async def void_reserved(self, pack_id: UUID, *, now: datetime) -> int:
        return await void_reserved_of_pack(self._connection, pack_id=pack_id, now=now)
