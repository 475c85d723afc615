"""Delivery rows: planned once per (event, channel, recipient), claimed, settled, retried."""

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import Row, func, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert

from notifications.adapters.tables import deliveries
from notifications.domain.model import Channel, DeliveryStatus
from notifications.domain.retries import Transition
from shared.db import DbConnection

WAKE_CHANNEL = "notifications_due"  # Postgres NOTIFY channel: new pending rows committed


async def insert_planned(connection: DbConnection, rows: list[dict[str, Any]]) -> list[Row[Any]]:
    """Insert the rows not already there; returns the new ones (channel, status)."""
    if not rows:
        return []
    result = await connection.execute(
        insert(deliveries)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["event_id", "channel", "recipient"])
        .returning(deliveries.c.delivery_id, deliveries.c.channel, deliveries.c.status)
    )
    return list(result)


async def wake_senders(connection: DbConnection, channels: set[str]) -> None:
    """Tell every replica's senders (on commit) that rows of these channels are due."""
    for channel in sorted(channels):
        await connection.execute(
            text("SELECT pg_notify(:c, :p)"), {"c": WAKE_CHANNEL, "p": channel}
        )


async def claim_due(
    connection: DbConnection, *, channel: Channel, now: datetime, lease: timedelta, limit: int
) -> list[Row[Any]]:
    """Lease up to `limit` due rows of a channel and count the attempt (SKIP LOCKED).

    A lease that ran out (a replica died mid-send) makes its row due again. Leases run on the
    database's clock, not on `now`: they time a network call, and the dev clock moving hours
    ahead during a send must not make that send look lost and send it twice.
    """
    due = (
        select(deliveries.c.delivery_id)
        .where(
            deliveries.c.status == DeliveryStatus.pending,
            deliveries.c.channel == channel,
            deliveries.c.next_attempt_at <= now,
            deliveries.c.attempts < deliveries.c.attempt_limit,
            or_(deliveries.c.lease_until.is_(None), deliveries.c.lease_until < func.now()),
        )
        .order_by(deliveries.c.next_attempt_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    result = await connection.execute(
        update(deliveries)
        .where(deliveries.c.delivery_id.in_(due.scalar_subquery()))
        .values(lease_until=func.now() + lease, attempts=deliveries.c.attempts + 1, updated_at=now)
        .returning(*deliveries.c)
    )
    return list(result)


async def settle(
    connection: DbConnection,
    *,
    delivery_id: UUID,
    attempts: int,
    transition: Transition,
    now: datetime,
) -> bool:
    """Record an attempt's outcome, only if the row is still the one this attempt claimed."""
    sent = transition.status is DeliveryStatus.sent
    values: dict[str, Any] = {
        "status": transition.status,
        "lease_until": None,
        "updated_at": now,
        "next_attempt_at": transition.next_attempt_at,
        "sent_at": now if sent else None,
    }
    if transition.provider_message_id is not None:
        values["provider_message_id"] = transition.provider_message_id
    if transition.error is not None:
        values["last_error"] = transition.error
    result = await connection.execute(
        update(deliveries)
        .where(
            deliveries.c.delivery_id == delivery_id,
            deliveries.c.status == DeliveryStatus.pending,
            deliveries.c.attempts == attempts,
        )
        .values(**values)
    )
    return bool(result.rowcount)


async def get(
    connection: DbConnection, delivery_id: UUID, *, lock: bool = False
) -> Row[Any] | None:
    query = select(deliveries).where(deliveries.c.delivery_id == delivery_id)
    if lock:
        query = query.with_for_update()
    return (await connection.execute(query)).first()


async def requeue(
    connection: DbConnection, *, delivery_id: UUID, now: datetime, extra: int
) -> Row[Any]:
    """Pending again now, with `extra` more attempts allowed."""
    result = await connection.execute(
        update(deliveries)
        .where(deliveries.c.delivery_id == delivery_id)
        .values(
            status=DeliveryStatus.pending,
            next_attempt_at=now,
            lease_until=None,
            attempt_limit=deliveries.c.attempts + extra,
            updated_at=now,
        )
        .returning(*deliveries.c)
    )
    return result.one()


async def bury_lost_last_attempts(connection: DbConnection, *, now: datetime) -> int:
    """Rows whose last allowed attempt was claimed and never settled (the sender died): dead."""
    result = await connection.execute(
        update(deliveries)
        .where(
            deliveries.c.status == DeliveryStatus.pending,
            deliveries.c.attempts >= deliveries.c.attempt_limit,
            deliveries.c.lease_until < func.now(),  # the database's clock, like the lease
        )
        .values(
            status=DeliveryStatus.dead,
            lease_until=None,
            next_attempt_at=None,
            last_error="the last attempt never reported back (its sender stopped)",
            updated_at=now,
        )
    )
    return result.rowcount
