"""Contacts in the database: read as domain `Contact`s, saved, erased."""

from datetime import datetime
from typing import Any

from sqlalchemy import Row, bindparam, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert

from notifications.adapters.tables import contacts
from notifications.domain.model import Channel, Contact, Kind
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
        kind_channels={
            Kind(kind): tuple(Channel(c) for c in chosen)
            for kind, chosen in row.kind_channels.items()
        },
        updated_at=row.updated_at,
    )


async def get(connection: DbConnection, user_id: str) -> Contact | None:
    row = (await connection.execute(select(contacts).where(contacts.c.user_id == user_id))).first()
    return to_contact(row) if row is not None else None


CONTACTS_OF = select(contacts).where(contacts.c.user_id.in_(bindparam("ids", expanding=True)))


async def get_many(connection: DbConnection, user_ids: set[str]) -> dict[str, Contact]:
    rows = await connection.execute(CONTACTS_OF, {"ids": list(user_ids)})
    return {row.user_id: to_contact(row) for row in rows}


async def upsert(
    connection: DbConnection,
    *,
    user_id: str,
    now: datetime,
    create: dict[str, Any],
    change: dict[str, Any],
) -> Contact:
    """Insert the contact with `create`, or update only the `change` columns of the one there."""
    statement = insert(contacts).values(user_id=user_id, updated_at=now, **create)
    row = await connection.execute(
        statement.on_conflict_do_update(
            index_elements=["user_id"], set_={**change, "updated_at": now}
        ).returning(*contacts.c)
    )
    return to_contact(row.one())


async def change(
    connection: DbConnection, *, user_id: str, now: datetime, values: dict[str, Any]
) -> Contact | None:
    result = await connection.execute(
        update(contacts)
        .where(contacts.c.user_id == user_id)
        .values(**values, updated_at=now)
        .returning(*contacts.c)
    )
    row = result.first()
    return to_contact(row) if row is not None else None


async def add_channel(connection: DbConnection, *, user_id: str, channel: Channel) -> None:
    await connection.execute(
        update(contacts)
        .where(contacts.c.user_id == user_id, ~contacts.c.channels.any(channel.value))
        .values(channels=func.array_append(contacts.c.channels, channel.value))
    )


async def erase(connection: DbConnection, user_id: str) -> bool:
    result = await connection.execute(delete(contacts).where(contacts.c.user_id == user_id))
    return bool(result.rowcount)


class SqlContacts:
    """`ContactRepository` on one transaction's connection."""

    def __init__(self, connection: DbConnection) -> None:
        self._connection = connection

    async def get(self, user_id: str) -> Contact | None:
        return await get(self._connection, user_id)

    async def get_many(self, user_ids: set[str]) -> dict[str, Contact]:
        return await get_many(self._connection, user_ids)

    async def upsert(
        self, user_id: str, *, now: datetime, create: dict[str, Any], change: dict[str, Any]
    ) -> Contact:
        return await upsert(
            self._connection, user_id=user_id, now=now, create=create, change=change
        )

    async def change(
        self, user_id: str, *, now: datetime, values: dict[str, Any]
    ) -> Contact | None:
        return await change(self._connection, user_id=user_id, now=now, values=values)

    async def add_channel(self, user_id: str, channel: Channel) -> None:
        await add_channel(self._connection, user_id=user_id, channel=channel)

    async def erase(self, user_id: str) -> bool:
        return await erase(self._connection, user_id)
