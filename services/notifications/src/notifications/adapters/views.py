"""Read models for the HTTP API: contacts and the delivery log."""

from typing import Any
from uuid import UUID

from sqlalchemy import Row, select

from notifications.adapters.tables import contacts, deliveries
from shared.db import DbConnection


async def contact(connection: DbConnection, user_id: str) -> Row[Any] | None:
    return (await connection.execute(select(contacts).where(contacts.c.user_id == user_id))).first()


async def deliveries_where(
    connection: DbConnection,
    *,
    status: str | None = None,
    recipient: str | None = None,
    event_id: UUID | None = None,
    limit: int,
    offset: int,
) -> list[Row[Any]]:
    """The delivery log, newest first, filtered by any of status, recipient and event."""
    query = select(deliveries)
    if status is not None:
        query = query.where(deliveries.c.status == status)
    if recipient is not None:
        query = query.where(deliveries.c.recipient == recipient)
    if event_id is not None:
        query = query.where(deliveries.c.event_id == event_id)
    query = query.order_by(
        deliveries.c.created_at.desc(), deliveries.c.channel, deliveries.c.delivery_id
    )
    return list(await connection.execute(query.limit(limit).offset(offset)))
