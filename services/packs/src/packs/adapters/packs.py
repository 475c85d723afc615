"""Session packs: reads, row locks and state changes."""

from datetime import datetime, timedelta
from uuid import UUID, uuid4

from sqlalchemy import insert, select, update

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
    row = (
        await connection.execute(select(*PACK_COLUMNS).where(packs.c.order_id == order_id))
    ).first()
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


async def due_to_expire(
    connection: DbConnection, *, now: datetime, limit: int
) -> list[tuple[UUID, str]]:
    """(pack id, mentor id) of active packs past their expiry, not locked."""
    rows = await connection.execute(
        select(packs.c.id, packs.c.mentor_id)
        .where(packs.c.status == PackStatus.active, packs.c.expires_at <= now)
        .order_by(packs.c.expires_at)
        .limit(limit)
    )
    return [(row.id, row.mentor_id) for row in rows]


async def add_pack(
    connection: DbConnection, *, purchase: PaymentSucceeded, seat_id: UUID, now: datetime
) -> tuple[UUID, datetime]:
    """A new active pack from the product snapshot; (id, expires_at)."""
    pack_id = uuid4()
    expires_at = purchase.paid_at + timedelta(days=purchase.pack.validity_days)
    await connection.execute(
        insert(packs).values(
            id=pack_id,
            order_id=purchase.order_id,
            seat_id=seat_id,
            student_id=purchase.student_id,
            mentor_id=purchase.mentor_id,
            product_id=purchase.product_id,
            status=PackStatus.active,
            sessions_total=purchase.pack.sessions_count,
            session_minutes=purchase.pack.session_minutes,
            validity_days=purchase.pack.validity_days,
            purchased_at=purchase.paid_at,
            expires_at=expires_at,
            created_at=now,
        )
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
