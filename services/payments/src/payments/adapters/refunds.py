"""Refund rows, and the refunds the platform owes (a rejected or late-paid purchase)."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert

from payments.adapters.tables import orders, refund_requests, refunds
from shared.db import AnyRow, DbConnection

REFUND_REQUIRED = "refund_required"
REFUNDED = "refunded"


async def add_succeeded(
    session: DbConnection,
    *,
    refund_id: UUID,
    order_id: UUID,
    amount: int,
    reason: str,
    provider_refund_id: str | None,
    now: datetime,
) -> None:
    await session.execute(
        insert(refunds).values(
            refund_id=refund_id,
            order_id=order_id,
            amount=amount,
            reason=reason[:500],
            status="succeeded",
            provider_refund_id=provider_refund_id,
            created_at=now,
            updated_at=now,
        )
    )


async def add_requested(
    session: DbConnection,
    *,
    refund_id: UUID,
    order_id: UUID,
    amount: int,
    reason: str,
    now: datetime,
) -> None:
    """Count a refund on the order before the provider is called; the order's CHECK caps it."""
    await session.execute(
        insert(refunds).values(
            refund_id=refund_id,
            order_id=order_id,
            amount=amount,
            reason=reason[:500],
            status="requested",
            created_at=now,
            updated_at=now,
        )
    )
    await session.execute(
        update(orders)
        .where(orders.c.order_id == order_id)
        .values(refunded_amount=orders.c.refunded_amount + amount, updated_at=now)
    )


async def settle(
    session: DbConnection,
    *,
    refund_id: UUID,
    succeeded: bool,
    provider_refund_id: str | None,
    now: datetime,
) -> AnyRow | None:
    """Mark a requested refund succeeded or failed (a failed one is uncounted); None if settled."""
    row: AnyRow | None = (
        await session.execute(
            update(refunds)
            .where(refunds.c.refund_id == refund_id, refunds.c.status == "requested")
            .values(
                status="succeeded" if succeeded else "failed",
                provider_refund_id=provider_refund_id,
                updated_at=now,
            )
            .returning(refunds)
        )
    ).first()
    if row is not None and not succeeded:
        await session.execute(
            update(orders)
            .where(orders.c.order_id == row.order_id)
            .values(refunded_amount=orders.c.refunded_amount - row.amount, updated_at=now)
        )
    return row


async def succeeded_total(session: DbConnection, order_id: UUID) -> int:
    query = select(func.coalesce(func.sum(refunds.c.amount), 0)).where(
        refunds.c.order_id == order_id, refunds.c.status == "succeeded"
    )
    return int(await session.scalar(query) or 0)


async def get_row(session: DbConnection, refund_id: UUID) -> AnyRow | None:
    return (await session.execute(select(refunds).where(refunds.c.refund_id == refund_id))).first()


async def by_provider_id(session: DbConnection, provider_refund_id: str) -> AnyRow | None:
    query = select(refunds).where(refunds.c.provider_refund_id == provider_refund_id)
    return (await session.execute(query)).first()


async def of_order(session: DbConnection, order_id: UUID) -> list[AnyRow]:
    query = select(refunds).where(refunds.c.order_id == order_id).order_by(refunds.c.created_at)
    return list(await session.execute(query))


async def require_full_refund(
    session: DbConnection, *, row: AnyRow, reason: str, now: datetime
) -> bool:
    """Record once per order that it must be refunded in full."""
    result = await session.execute(
        insert(refund_requests)
        .values(
            order_id=row.order_id,
            student_id=row.student_id,
            mentor_id=row.mentor_id,
            reason=reason[:500],
            status=REFUND_REQUIRED,
            event_id=row.order_id,
            requested_at=now,
        )
        .on_conflict_do_nothing(index_elements=["order_id"])
        .returning(refund_requests.c.order_id)
    )
    return result.first() is not None


async def required(session: DbConnection, *, limit: int) -> list[UUID]:
    query = (
        select(refund_requests.c.order_id)
        .where(refund_requests.c.status == REFUND_REQUIRED)
        .order_by(refund_requests.c.requested_at)
        .limit(limit)
    )
    return list((await session.execute(query)).scalars())


async def claim_required(session: DbConnection, order_id: UUID) -> AnyRow | None:
    query = (
        select(refund_requests)
        .where(
            refund_requests.c.order_id == order_id,
            refund_requests.c.status == REFUND_REQUIRED,
        )
        .with_for_update(skip_locked=True)
    )
    return (await session.execute(query)).first()


async def mark_required_done(session: DbConnection, order_id: UUID, *, status: str) -> None:
    await session.execute(
        update(refund_requests).where(refund_requests.c.order_id == order_id).values(status=status)
    )
