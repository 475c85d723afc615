"""Paid events that disagreed with their order, kept for operators."""

from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from payments.adapters.tables import payment_mismatches
from payments.domain.payment_check import PaymentMismatch
from shared.db import AnyRow, DbConnection


async def newest(connection: DbConnection, *, limit: int, offset: int) -> list[AnyRow]:
    query = (
        select(payment_mismatches)
        .order_by(payment_mismatches.c.detected_at.desc(), payment_mismatches.c.mismatch_id)
        .limit(limit)
        .offset(offset)
    )
    return list(await connection.execute(query))


class SqlMismatches:
    """Payment mismatches in SQL (`MismatchRepository`)."""

    def __init__(self, connection: DbConnection) -> None:
        self._connection = connection

    async def add(
        self,
        *,
        order_id: UUID,
        provider: str,
        event_id: str,
        mismatch: PaymentMismatch,
        now: datetime,
    ) -> None:
        await self._connection.execute(
            insert(payment_mismatches)
            .values(
                mismatch_id=uuid4(),
                order_id=order_id,
                provider=provider,
                event_id=event_id,
                expected_amount=mismatch.expected_amount,
                expected_currency=mismatch.expected_currency,
                reported_amount=mismatch.reported.amount,
                reported_currency=mismatch.reported.currency,
                detected_at=now,
            )
            .on_conflict_do_nothing(index_elements=["provider", "event_id"])
        )
