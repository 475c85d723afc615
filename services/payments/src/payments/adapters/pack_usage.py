"""The pack-usage projection: which pack an order became, and its sessions used."""

from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from payments.adapters.tables import pack_usage, session_credits
from shared.db import AnyRow, DbConnection


async def add_pack(
    session: DbConnection, *, order_id: UUID, pack_id: UUID, sessions_total: int
) -> None:
    await session.execute(
        insert(pack_usage)
        .values(order_id=order_id, pack_id=pack_id, sessions_total=sessions_total)
        .on_conflict_do_nothing()
    )


async def booked(session: DbConnection, *, session_id: UUID, pack_id: UUID) -> None:
    """Name the session's pack (an outcome may have arrived first)."""
    statement = insert(session_credits).values(session_id=session_id, pack_id=pack_id)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["session_id"], set_={"pack_id": statement.excluded.pack_id}
        )
    )


async def consumed(session: DbConnection, *, session_id: UUID) -> None:
    statement = insert(session_credits).values(session_id=session_id, consumed=True)
    await session.execute(
        statement.on_conflict_do_update(index_elements=["session_id"], set_={"consumed": True})
    )


async def usage_of_order(session: DbConnection, order_id: UUID) -> AnyRow | None:
    """(sessions_total, sessions_used) of the order's pack, if packs announced it."""
    used = (
        select(func.count())
        .where(session_credits.c.pack_id == pack_usage.c.pack_id, session_credits.c.consumed)
        .scalar_subquery()
    )
    query = select(pack_usage.c.sessions_total, used.label("sessions_used")).where(
        pack_usage.c.order_id == order_id
    )
    return (await session.execute(query)).first()
