"""The pack-usage projection: which pack an order became, and its sessions used."""

from uuid import UUID

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert

from payments.adapters.tables import pack_usage, session_credits
from payments.domain.refunds import PackUse
from shared.db import DbConnection
from shared.uow import UnitOfWork

# Built once: the packs a unit of work added, in one statement (the first of an order wins).
ADD_PACKS = text(
    "INSERT INTO pack_usage (order_id, pack_id, sessions_total)"
    " SELECT * FROM unnest(CAST(:order_ids AS uuid[]), CAST(:pack_ids AS uuid[]),"
    " CAST(:totals AS integer[]))"
    " ON CONFLICT DO NOTHING"
)


class _PacksToAdd:
    """The packs a unit of work added, written in one statement just before it commits (a
    batch of `pack.purchased` is one insert), or before a read of the projection."""

    def __init__(self, connection: DbConnection) -> None:
        self._connection = connection
        self.rows: dict[UUID, tuple[UUID, int]] = {}  # order: pack, sessions_total

    async def __call__(self) -> None:
        rows, self.rows = self.rows, {}
        if rows:
            await self._connection.execute(
                ADD_PACKS,
                {
                    "order_ids": list(rows),
                    "pack_ids": [pack_id for pack_id, _ in rows.values()],
                    "totals": [total for _, total in rows.values()],
                },
            )


class SqlPackUsage:
    """The pack-usage projection in SQL (`PackUsageRepository`)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow
        self._connection = uow.connection

    def _packs_to_add(self) -> _PacksToAdd:
        return self._uow.before_commit(_PacksToAdd, lambda: _PacksToAdd(self._connection))

    async def add_pack(self, *, order_id: UUID, pack_id: UUID, sessions_total: int) -> None:
        """Written at the commit, with the other packs of the unit of work."""
        self._packs_to_add().rows.setdefault(order_id, (pack_id, sessions_total))

    async def booked(self, *, session_id: UUID, pack_id: UUID) -> None:
        """Name the session's pack (an outcome may have arrived first)."""
        statement = insert(session_credits).values(session_id=session_id, pack_id=pack_id)
        await self._connection.execute(
            statement.on_conflict_do_update(
                index_elements=["session_id"], set_={"pack_id": statement.excluded.pack_id}
            )
        )

    async def consumed(self, *, session_id: UUID) -> None:
        statement = insert(session_credits).values(session_id=session_id, consumed=True)
        await self._connection.execute(
            statement.on_conflict_do_update(index_elements=["session_id"], set_={"consumed": True})
        )

    async def usage_of_order(self, order_id: UUID) -> PackUse | None:
        """(sessions_total, sessions_used) of the order's pack, if packs announced it."""
        await self._packs_to_add()()  # what this unit of work added is read too
        used = (
            select(func.count())
            .where(session_credits.c.pack_id == pack_usage.c.pack_id, session_credits.c.consumed)
            .scalar_subquery()
        )
        query = select(pack_usage.c.sessions_total, used.label("sessions_used")).where(
            pack_usage.c.order_id == order_id
        )
        row = (await self._connection.execute(query)).first()
        return None if row is None else PackUse(row.sessions_total, row.sessions_used)
