"""Read models for the HTTP API: contacts and the delivery log."""

from typing import Any
from uuid import UUID

from sqlalchemy import Row, func, select

from notifications.adapters.tables import contacts, deliveries
from notifications.domain.model import DeliveryStatus
from shared.db import DbConnection


async def contact(connection: DbConnection, user_id: str) -> Row[Any] | None:
    return (await connection.execute(select(contacts).where(contacts.c.user_id == user_id))).first()


async def deliveries_where(
    connection: DbConnection,
    *,
    status: DeliveryStatus | None = None,
    recipient: str | None = None,
    event_id: UUID | None = None,
    limit: int,
    offset: int,
) -> tuple[list[Row[Any]], int]:
    """One page of the delivery log, newest first, filtered by status, recipient or event;
    and how many rows match in all."""
    conditions = []
    if status is not None:
        conditions.append(deliveries.c.status == status)
    if recipient is not None:
        conditions.append(deliveries.c.recipient == recipient)
    if event_id is not None:
        conditions.append(deliveries.c.event_id == event_id)
    query = (
        select(deliveries)
        .where(*conditions)
        .order_by(deliveries.c.created_at.desc(), deliveries.c.channel, deliveries.c.delivery_id)
    )
    rows = list(await connection.execute(query.limit(limit).offset(offset)))
    total = await connection.scalar(select(func.count()).select_from(deliveries).where(*conditions))
    return rows, int(total or 0)
