"""Refund rows, and the refunds the platform owes (a rejected or late-paid purchase)."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects.postgresql import Insert, insert

from payments.adapters.tables import orders, refund_requests, refunds
from payments.domain.refunds import OwedRefund, RefundStatus
from shared.db import AnyRow, DbConnection


async def of_order(connection: DbConnection, order_id: UUID) -> list[AnyRow]:
    query = select(refunds).where(refunds.c.order_id == order_id).order_by(refunds.c.created_at)
    return list(await connection.execute(query))


def _refund_row(refund_id: UUID, order_id: UUID, amount: int, reason: str, now: datetime) -> Insert:
    return insert(refunds).values(
        refund_id=refund_id,
        order_id=order_id,
        amount=amount,
        reason=reason[:500],
        created_at=now,
        updated_at=now,
    )


class SqlRefunds:
    """Refunds in SQL on one unit of work's connection (`RefundRepository`)."""

    def __init__(self, connection: DbConnection) -> None:
        self._connection = connection

    async def add_succeeded(
        self,
        *,
        refund_id: UUID,
        order_id: UUID,
        amount: int,
        reason: str,
        provider_refund_id: str | None,
        now: datetime,
    ) -> None:
        await self._connection.execute(
            _refund_row(refund_id, order_id, amount, reason, now).values(
                status=RefundStatus.succeeded, provider_refund_id=provider_refund_id
            )
        )

    async def add_requested(
        self,
        *,
        refund_id: UUID,
        order_id: UUID,
        amount: int,
        reason: str,
        now: datetime,
    ) -> None:
        """Count a refund on the order before the provider is called; the order's CHECK caps it."""
        await self._connection.execute(
            _refund_row(refund_id, order_id, amount, reason, now).values(
                status=RefundStatus.requested
            )
        )
        await self._connection.execute(
            update(orders)
            .where(orders.c.order_id == order_id)
            .values(refunded_amount=orders.c.refunded_amount + amount, updated_at=now)
        )

    async def settle(
        self,
        *,
        refund_id: UUID,
        succeeded: bool,
        provider_refund_id: str | None,
        now: datetime,
    ) -> int | None:
        """Mark a requested refund succeeded or failed (a failed one is uncounted); its amount,
        None if it was settled already."""
        row: AnyRow | None = (
            await self._connection.execute(
                update(refunds)
                .where(refunds.c.refund_id == refund_id, refunds.c.status == RefundStatus.requested)
                .values(
                    status=RefundStatus.succeeded if succeeded else RefundStatus.failed,
                    provider_refund_id=provider_refund_id,
                    updated_at=now,
                )
                .returning(refunds)
            )
        ).first()
        if row is not None and not succeeded:
            await self._connection.execute(
                update(orders)
                .where(orders.c.order_id == row.order_id)
                .values(refunded_amount=orders.c.refunded_amount - row.amount, updated_at=now)
            )
        return None if row is None else int(row.amount)

    async def succeeded_total(self, order_id: UUID) -> int:
        query = select(func.coalesce(func.sum(refunds.c.amount), 0)).where(
            refunds.c.order_id == order_id, refunds.c.status == RefundStatus.succeeded
        )
        return int(await self._connection.scalar(query) or 0)

    async def known(self, *, refund_id: UUID | None, provider_refund_id: str | None) -> bool:
        """True if a refund with our id or the provider's is counted here already."""
        ids = []
        if refund_id is not None:
            ids.append(refunds.c.refund_id == refund_id)
        if provider_refund_id is not None:
            ids.append(refunds.c.provider_refund_id == provider_refund_id)
        if not ids:
            return False
        query = select(refunds.c.refund_id).where(or_(*ids)).limit(1)
        return (await self._connection.execute(query)).first() is not None

    async def require_full_refund(
        self,
        *,
        order_id: UUID,
        student_id: str,
        mentor_id: str,
        reason: str,
        event_id: UUID,
        now: datetime,
    ) -> bool:
        """Record once per order that it must be refunded in full, whatever asks first."""
        result = await self._connection.execute(
            insert(refund_requests)
            .values(
                order_id=order_id,
                student_id=student_id,
                mentor_id=mentor_id,
                reason=reason[:500],
                status=OwedRefund.required,
                event_id=event_id,
                requested_at=now,
            )
            .on_conflict_do_nothing(index_elements=["order_id"])
            .returning(refund_requests.c.order_id)
        )
        return result.first() is not None

    async def required(self, *, limit: int) -> list[UUID]:
        query = (
            select(refund_requests.c.order_id)
            .where(refund_requests.c.status == OwedRefund.required)
            .order_by(refund_requests.c.requested_at)
            .limit(limit)
        )
        return list((await self._connection.execute(query)).scalars())

    async def claim_required(self, order_id: UUID) -> bool:
        """True if the owed refund is still to issue and no one else is issuing it."""
        query = (
            select(refund_requests)
            .where(
                refund_requests.c.order_id == order_id,
                refund_requests.c.status == OwedRefund.required,
            )
            .with_for_update(skip_locked=True)
        )
        return (await self._connection.execute(query)).first() is not None

    async def mark_required_done(self, order_id: UUID, *, status: OwedRefund) -> None:
        await self._connection.execute(
            update(refund_requests)
            .where(refund_requests.c.order_id == order_id)
            .values(status=status)
        )
