"""Booking's projection of the packs students bought (from packs' events)."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import select

from booking.adapters.tables import student_packs
from shared.db import DbConnection


async def pack_expiry(db: DbConnection, pack_id: UUID) -> datetime | None:
    """When the pack expires, as far as booking has heard; None if it never heard of it."""
    return await db.scalar(
        select(student_packs.c.expires_at).where(student_packs.c.pack_id == pack_id)
    )
