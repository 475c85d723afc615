"""Contacts in the database: read as domain `Contact`s, saved, erased."""

from datetime import datetime
from typing import Any

from sqlalchemy import Row, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert

from notifications.adapters.tables import contacts, deliveries, onboarding
from notifications.domain.model import Channel, Contact
from shared.db import DbConnection


def to_contact(row: Row[Any]) -> Contact:
    return Contact(
        user_id=row.user_id,
        email=row.email,
        display_name=row.display_name,
        discord_id=row.discord_id,
        discord_webhook_url=row.discord_webhook_url,
        timezone=row.timezone,
        locale=row.locale,
        channels=tuple(Channel(c) for c in row.channels),
        kind_channels=dict(row.kind_channels),
    )


async def get(connection: DbConnection, user_id: str) -> Contact | None:
    row = (await connection.execute(select(contacts).where(contacts.c.user_id == user_id))).first()
    return to_contact(row) if row is not None else None


async def get_many(connection: DbConnection, user_ids: set[str]) -> dict[str, Contact]:
    rows = await connection.execute(select(contacts).where(contacts.c.user_id.in_(user_ids)))
    return {row.user_id: to_contact(row) for row in rows}


async def upsert(
    connection: DbConnection,
    *,
    user_id: str,
    now: datetime,
    create: dict[str, Any],
    change: dict[str, Any],
) -> Row[Any]:
    """Insert the contact with `create`, or update only the `change` columns of the one there."""
    statement = insert(contacts).values(user_id=user_id, updated_at=now, **create)
    row = await connection.execute(
        statement.on_conflict_do_update(
            index_elements=["user_id"], set_={**change, "updated_at": now}
        ).returning(*contacts.c)
    )
    return row.one()


async def change(
    connection: DbConnection, *, user_id: str, now: datetime, values: dict[str, Any]
) -> Row[Any] | None:
    result = await connection.execute(
        update(contacts)
        .where(contacts.c.user_id == user_id)
        .values(**values, updated_at=now)
        .returning(*contacts.c)
    )
    return result.first()


async def add_channel(connection: DbConnection, *, user_id: str, channel: Channel) -> None:
    await connection.execute(
        update(contacts)
        .where(contacts.c.user_id == user_id, ~contacts.c.channels.any(channel.value))
        .values(channels=func.array_append(contacts.c.channels, channel.value))
    )


async def erase(connection: DbConnection, user_id: str) -> bool:
    """Delete the contact and onboarding of a user; blank the addresses in their log."""
    result = await connection.execute(delete(contacts).where(contacts.c.user_id == user_id))
    await connection.execute(delete(onboarding).where(onboarding.c.student_id == user_id))
    await connection.execute(
        update(deliveries).where(deliveries.c.recipient == user_id).values(address=None)
    )
    return bool(result.rowcount)
