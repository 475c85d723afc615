"""Reads for the HTTP API: orders of a student, of everyone (filtered), one order."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import func, select

from payments.adapters.tables import orders
from shared.db import AnyRow, DbConnection


@dataclass(frozen=True)
class OrderFilter:
    student_id: str | None = None
    status: str | None = None
    provider: str | None = None
    mentor_id: str | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None


async def order_by_id(connection: DbConnection, order_id: UUID) -> AnyRow | None:
    return (await connection.execute(select(orders).where(orders.c.order_id == order_id))).first()


async def orders_page(
    connection: DbConnection, *, where: OrderFilter, limit: int, offset: int
) -> tuple[list[AnyRow], int]:
    """One page of orders, newest first, and how many match in all."""
    conditions = []
    if where.student_id is not None:
        conditions.append(orders.c.student_id == where.student_id)
    if where.status is not None:
        conditions.append(orders.c.status == where.status)
    if where.provider is not None:
        conditions.append(orders.c.provider == where.provider)
    if where.mentor_id is not None:
        conditions.append(orders.c.mentor_id == where.mentor_id)
    if where.created_from is not None:
        conditions.append(orders.c.created_at >= where.created_from)
    if where.created_to is not None:
        conditions.append(orders.c.created_at < where.created_to)
    query = (
        select(orders, func.count().over().label("total"))
        .where(*conditions)
        .order_by(orders.c.created_at.desc(), orders.c.order_id)
        .limit(limit)
        .offset(offset)
    )
    rows = list(await connection.execute(query))
    if rows:
        return rows, rows[0].total
    total = await connection.scalar(select(func.count()).select_from(orders).where(*conditions))
    return rows, int(total or 0)
