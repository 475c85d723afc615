"""Orders in Postgres: insert once per idempotency key, lock, save the rules' changes."""

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert

from payments.adapters.tables import orders
from payments.domain.model import Order, OrderStatus
from shared.db import AnyRow, DbConnection


async def insert_order(session: DbConnection, **values: Any) -> bool:
    """False if the student already has an order under this idempotency key.

    A concurrent insert with the same key waits for the other transaction, then does nothing.
    """
    result = await session.execute(
        insert(orders)
        .values(**values)
        .on_conflict_do_nothing(constraint="uq_orders_student_key")
        .returning(orders.c.order_id)
    )
    return result.first() is not None


async def by_idempotency_key(session: DbConnection, *, student_id: str, key: str) -> AnyRow | None:
    query = select(orders).where(orders.c.student_id == student_id, orders.c.idempotency_key == key)
    return (await session.execute(query)).first()


async def get_row(session: DbConnection, order_id: UUID, *, lock: bool = False) -> AnyRow | None:
    query = select(orders).where(orders.c.order_id == order_id)
    if lock:
        query = query.with_for_update()
    return (await session.execute(query)).first()


async def by_payment_ref(
    session: DbConnection, payment_ref: str, *, lock: bool = False
) -> AnyRow | None:
    query = select(orders).where(orders.c.payment_ref == payment_ref)
    if lock:
        query = query.with_for_update()
    return (await session.execute(query)).first()


def to_order(row: AnyRow) -> Order:
    return Order(
        order_id=row.order_id,
        student_id=row.student_id,
        mentor_id=row.mentor_id,
        status=OrderStatus(row.status),
        final_amount=row.final_amount,
        refunded_amount=row.refunded_amount,
        promo_code=row.promo_code,
        promo_returned=row.promo_returned,
        paid_at=row.paid_at,
    )


async def save(session: DbConnection, order: Order, *, now: datetime, **extra: Any) -> None:
    """Write the rules' view of the order back, with any extra columns (refs, reasons)."""
    await session.execute(
        update(orders)
        .where(orders.c.order_id == order.order_id)
        .values(
            status=order.status.value,
            refunded_amount=order.refunded_amount,
            promo_returned=order.promo_returned,
            paid_at=order.paid_at,
            updated_at=now,
            **extra,
        )
    )


async def attach_checkout(
    session: DbConnection, order_id: UUID, *, provider_ref: str, redirect_url: str, now: datetime
) -> None:
    """Store the provider's checkout once; a replay that raced us keeps the first one."""
    await session.execute(
        update(orders)
        .where(orders.c.order_id == order_id, orders.c.redirect_url.is_(None))
        .values(provider_ref=provider_ref, redirect_url=redirect_url, updated_at=now)
    )


async def earlier_paid_price(
    session: DbConnection, *, student_id: str, product_id: UUID
) -> AnyRow | None:
    """The list price of the student's latest paid order of this product, if any."""
    query = (
        select(orders.c.original_amount, orders.c.currency)
        .where(
            orders.c.student_id == student_id,
            orders.c.product_id == product_id,
            orders.c.paid_at.is_not(None),
        )
        .order_by(orders.c.paid_at.desc())
        .limit(1)
    )
    return (await session.execute(query)).first()


async def pending_past_expiry(session: DbConnection, *, now: datetime, limit: int) -> list[UUID]:
    query = (
        select(orders.c.order_id)
        .where(orders.c.status == OrderStatus.pending.value, orders.c.expires_at <= now)
        .order_by(orders.c.expires_at)
        .limit(limit)
    )
    return list((await session.execute(query)).scalars())
