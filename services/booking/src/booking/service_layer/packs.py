"""Booking's projection of the packs students bought, kept from `pack.purchased`."""

from datetime import datetime

from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert

from booking.adapters.tables import student_packs
from shared.messaging.events import PackPurchased
from shared.uow import UnitOfWork


async def record_purchased_pack(event: PackPurchased, *, uow: UnitOfWork, now: datetime) -> None:
    """Upsert the pack; a stacked renewal only ever extends it, whatever order events arrive in."""
    statement = insert(student_packs).values(
        pack_id=event.pack_id,
        student_id=event.student_id,
        mentor_id=event.mentor_id,
        sessions_total=event.sessions_total,
        session_minutes=event.session_minutes,
        expires_at=event.expires_at,
        updated_at=now,
    )
    excluded = statement.excluded
    await uow.connection.execute(
        statement.on_conflict_do_update(
            index_elements=["pack_id"],
            set_={
                "sessions_total": func.greatest(
                    student_packs.c.sessions_total, excluded.sessions_total
                ),
                "expires_at": func.greatest(student_packs.c.expires_at, excluded.expires_at),
                "updated_at": excluded.updated_at,
            },
        )
    )
