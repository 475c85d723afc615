"""Session packs: reads, row locks and state changes."""

from datetime import datetime, timedelta
from uuid import UUID, uuid4

from sqlalchemy import bindparam, insert, select, update

from packs.adapters.repositories import Due
from packs.adapters.tables import packs
from packs.domain.model import Pack, PackStatus
from shared.db import AnyRow, DbConnection
from shared.messaging.events import PaymentSucceeded

PACK_COLUMNS = (
    packs.c.id,
    packs.c.seat_id,
    packs.c.student_id,
    packs.c.mentor_id,
    packs.c.status,
    packs.c.sessions_total,
    packs.c.sessions_used,
    packs.c.sessions_reserved,
    packs.c.expires_at,
)


# The purchase path's statements are built once (issue 19): only parameters change. Bind
# names carry a `p_` prefix: in an INSERT they must not equal a column's name.
_FOR_ORDER = select(*PACK_COLUMNS).where(packs.c.order_id == bindparam("p_order"))
_ADD_PACK = insert(packs).values(
    id=bindparam("p_id"),
    order_id=bindparam("p_order"),
    seat_id=bindparam("p_seat"),
    student_id=bindparam("p_student"),
    mentor_id=bindparam("p_mentor"),
    product_id=bindparam("p_product"),
    status=PackStatus.active.value,
    sessions_total=bindparam("p_sessions_total"),
    session_minutes=bindparam("p_session_minutes"),
    validity_days=bindparam("p_validity_days"),
    purchased_at=bindparam("p_purchased_at"),
    expires_at=bindparam("p_expires_at"),
    created_at=bindparam("p_now"),
)


def to_pack(row: AnyRow) -> Pack:
    return Pack(
        id=row.id,
        seat_id=row.seat_id,
        student_id=row.student_id,
        mentor_id=row.mentor_id,
        status=PackStatus(row.status),
        sessions_total=row.sessions_total,
        sessions_used=row.sessions_used,
        sessions_reserved=row.sessions_reserved,
        expires_at=row.expires_at,
    )


async def packs_of_pair(
    connection: DbConnection, *, student_id: str, mentor_id: str, lock: bool = False
) -> list[Pack]:
    """The student's packs with the mentor in expiry order; locked in that order if asked."""
    query = (
        select(*PACK_COLUMNS)
        .where(packs.c.student_id == student_id, packs.c.mentor_id == mentor_id)
        .order_by(packs.c.expires_at, packs.c.id)
    )
    rows = await connection.execute(query.with_for_update() if lock else query)
    return [to_pack(row) for row in rows]


async def packs_of_seat(connection: DbConnection, seat_id: UUID) -> list[Pack]:
    rows = await connection.execute(
        select(*PACK_COLUMNS).where(packs.c.seat_id == seat_id).order_by(packs.c.expires_at)
    )
    return [to_pack(row) for row in rows]


async def pack_for_order(connection: DbConnection, order_id: UUID) -> Pack | None:
    row = (await connection.execute(_FOR_ORDER, {"p_order": order_id})).first()
    return None if row is None else to_pack(row)


async def claim_expiring(connection: DbConnection, *, pack_id: UUID, now: datetime) -> Pack | None:
    """Lock the pack if it is still active past its expiry; None if not, or if another has it."""
    row = (
        await connection.execute(
            select(*PACK_COLUMNS)
            .where(
                packs.c.id == pack_id,
                packs.c.status == PackStatus.active,
                packs.c.expires_at <= now,
            )
            .with_for_update(skip_locked=True)
        )
    ).first()
    return None if row is None else to_pack(row)


async def due_to_expire(connection: DbConnection, *, now: datetime, limit: int) -> list[Due]:
    """(pack id, mentor id) of active packs past their expiry, not locked."""
    rows = await connection.execute(
        select(packs.c.id, packs.c.mentor_id)
        .where(packs.c.status == PackStatus.active, packs.c.expires_at <= now)
        .order_by(packs.c.expires_at)
        .limit(limit)
    )
    return [Due(row.id, row.mentor_id) for row in rows]


async def add_pack(
    connection: DbConnection, *, purchase: PaymentSucceeded, seat_id: UUID, now: datetime
) -> tuple[UUID, datetime]:
    """A new active pack from the product snapshot; (id, expires_at)."""
    pack_id = uuid4()
    expires_at = purchase.paid_at + timedelta(days=purchase.pack.validity_days)
    await connection.execute(
        _ADD_PACK,
        {
            "p_id": pack_id,
            "p_order": purchase.order_id,
            "p_seat": seat_id,
            "p_student": purchase.student_id,
            "p_mentor": purchase.mentor_id,
            "p_product": purchase.product_id,
            "p_sessions_total": purchase.pack.sessions_count,
            "p_session_minutes": purchase.pack.session_minutes,
            "p_validity_days": purchase.pack.validity_days,
            "p_purchased_at": purchase.paid_at,
            "p_expires_at": expires_at,
            "p_now": now,
        },
    )
    return pack_id, expires_at


async def save_counts(connection: DbConnection, pack: Pack, *, now: datetime) -> None:
    """Write the pack's used/reserved counts and status as the domain left them."""
    values: dict[str, object] = dict(
        sessions_used=pack.sessions_used,
        sessions_reserved=pack.sessions_reserved,
        status=pack.status,
    )
    if pack.status is PackStatus.depleted:
        values["depleted_at"] = now
    await connection.execute(update(packs).where(packs.c.id == pack.id).values(**values))


async def mark_expired(connection: DbConnection, *, pack_id: UUID, now: datetime) -> None:
    await connection.execute(
        update(packs).where(packs.c.id == pack_id).values(status=PackStatus.expired, expired_at=now)
    )


async def mark_refunded(connection: DbConnection, *, pack_id: UUID, now: datetime) -> None:
    """Refunded: its reserved credits are void, so nothing stays reserved on it."""
    await connection.execute(
        update(packs)
        .where(packs.c.id == pack_id)
        .values(status=PackStatus.refunded, refunded_at=now, sessions_reserved=0)
    )


class SqlPacks:
    """`PackRepository` on one transaction's connection."""

    def __init__(self, connection: DbConnection) -> None:
        self._connection = connection

    async def expiring(self, *, now: datetime, limit: int) -> list[Due]:
        return await due_to_expire(self._connection, now=now, limit=limit)

    async def claim_expiring(self, pack_id: UUID, *, now: datetime) -> Pack | None:
        return await claim_expiring(self._connection, pack_id=pack_id, now=now)

    async def mark_expired(self, pack_id: UUID, *, now: datetime) -> None:
        await mark_expired(self._connection, pack_id=pack_id, now=now)

    async def of_seat(self, seat_id: UUID) -> list[Pack]:
        return await packs_of_seat(self._connection, seat_id)

    async def for_order(self, order_id: UUID) -> Pack | None:
        return await pack_for_order(self._connection, order_id)

    async def of_pair(self, *, student_id: str, mentor_id: str, lock: bool = False) -> list[Pack]:
        return await packs_of_pair(
            self._connection, student_id=student_id, mentor_id=mentor_id, lock=lock
        )

    async def mark_refunded(self, pack_id: UUID, *, now: datetime) -> None:
        await mark_refunded(self._connection, pack_id=pack_id, now=now)

    async def add(
        self, *, purchase: PaymentSucceeded, seat_id: UUID, now: datetime
    ) -> tuple[UUID, datetime]:
        return await add_pack(self._connection, purchase=purchase, seat_id=seat_id, now=now)

    async def save_counts(self, pack: Pack, *, now: datetime) -> None:
        await save_counts(self._connection, pack, now=now)
