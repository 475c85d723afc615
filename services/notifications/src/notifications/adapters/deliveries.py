"""Delivery rows: planned once per (event, channel, recipient), claimed, settled, retried."""

from collections.abc import Sequence
from dataclasses import fields
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import Integer, Interval, Row, bindparam, func, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert

from notifications.adapters.tables import deliveries
from notifications.domain.model import Channel, Delivery, DeliveryStatus, Kind, SkipReason
from notifications.domain.retries import Transition
from shared.db import DbConnection

WAKE_CHANNEL = "notifications_due"  # Postgres NOTIFY channel: new pending rows committed
COLUMNS = tuple(f.name for f in fields(Delivery))


def to_delivery(row: Row[Any]) -> Delivery:
    values = {name: row._mapping[name] for name in COLUMNS}
    values["channel"] = Channel(values["channel"])
    values["kind"] = Kind(values["kind"])
    values["status"] = DeliveryStatus(values["status"])
    if values["skip_reason"] is not None:
        values["skip_reason"] = SkipReason(values["skip_reason"])
    return Delivery(**values)


def to_values(delivery: Delivery) -> dict[str, Any]:
    return {name: getattr(delivery, name) for name in COLUMNS}


# The hot path's statements are built once (issue 19 item 4): only their parameters change.
INSERT_PLANNED = (
    insert(deliveries)
    .on_conflict_do_nothing(index_elements=["event_id", "channel", "recipient"])
    .returning(deliveries.c.delivery_id)
)


async def insert_planned(connection: DbConnection, planned: Sequence[Delivery]) -> list[Delivery]:
    """Insert the deliveries not already there; returns the new ones."""
    if not planned:
        return []
    result = await connection.execute(INSERT_PLANNED, [to_values(delivery) for delivery in planned])
    new = {row.delivery_id for row in result}
    return [delivery for delivery in planned if delivery.delivery_id in new]


NOTIFY = text("SELECT pg_notify(:c, :p)")


async def wake_senders(connection: DbConnection, channels: set[Channel]) -> None:
    """Tell every replica's senders (on commit) that rows of these channels are due."""
    for channel in sorted(channels):
        await connection.execute(NOTIFY, {"c": WAKE_CHANNEL, "p": channel})


_DUE = (
    select(deliveries.c.delivery_id)
    .where(
        deliveries.c.status == DeliveryStatus.pending,
        deliveries.c.channel == bindparam("due_channel"),
        deliveries.c.next_attempt_at <= bindparam("due_at"),
        deliveries.c.attempts < deliveries.c.attempt_limit,
        or_(deliveries.c.lease_until.is_(None), deliveries.c.lease_until < func.now()),
    )
    .order_by(deliveries.c.next_attempt_at)
    .limit(bindparam("due_limit", type_=Integer))
    .with_for_update(skip_locked=True)
)
CLAIM_DUE = (
    update(deliveries)
    .where(deliveries.c.delivery_id.in_(_DUE.scalar_subquery()))
    .values(
        lease_until=func.now() + bindparam("lease_for", type_=Interval),
        attempts=deliveries.c.attempts + 1,
        updated_at=bindparam("claimed_at"),
    )
    .returning(*deliveries.c)
)


async def claim_due(
    connection: DbConnection, *, channel: Channel, now: datetime, lease: timedelta, limit: int
) -> list[Delivery]:
    """Lease up to `limit` due rows of a channel and count the attempt (SKIP LOCKED).

    A lease that ran out (a replica died mid-send) makes its row due again. Leases run on the
    database's clock, not on `now`: they time a network call, and the dev clock moving hours
    ahead during a send must not make that send look lost and send it twice.
    """
    result = await connection.execute(
        CLAIM_DUE,
        {
            "due_channel": channel,
            "due_at": now,
            "claimed_at": now,
            "lease_for": lease,
            "due_limit": limit,
        },
    )
    return [to_delivery(row) for row in result]


# One statement for every outcome a sender collected: each row is updated only if it is still
# the one its attempt claimed (pending, same attempt count), so a late outcome changes nothing.
SETTLE = text(
    """
    UPDATE deliveries AS d SET
        status = o.status,
        lease_until = NULL,
        updated_at = :now,
        next_attempt_at = o.next_attempt_at,
        sent_at = CASE WHEN o.status = 'sent' THEN CAST(:now AS timestamptz) END,
        provider_message_id = COALESCE(o.provider_message_id, d.provider_message_id),
        last_error = COALESCE(o.last_error, d.last_error)
    FROM unnest(
        CAST(:ids AS uuid[]), CAST(:attempts AS integer[]), CAST(:statuses AS text[]),
        CAST(:next_attempts AS timestamptz[]), CAST(:message_ids AS text[]),
        CAST(:errors AS text[])
    ) AS o(delivery_id, attempts, status, next_attempt_at, provider_message_id, last_error)
    WHERE d.delivery_id = o.delivery_id AND d.status = 'pending' AND d.attempts = o.attempts
    RETURNING d.delivery_id
    """
)


async def settle_many(
    connection: DbConnection, settlements: Sequence[tuple[Delivery, Transition]], *, now: datetime
) -> set[UUID]:
    """Record each claimed attempt's outcome; returns the ids of the rows that took it."""
    if not settlements:
        return set()
    result = await connection.execute(
        SETTLE,
        {
            "now": now,
            "ids": [delivery.delivery_id for delivery, _ in settlements],
            "attempts": [delivery.attempts for delivery, _ in settlements],
            "statuses": [transition.status.value for _, transition in settlements],
            "next_attempts": [transition.next_attempt_at for _, transition in settlements],
            "message_ids": [transition.provider_message_id for _, transition in settlements],
            "errors": [transition.error for _, transition in settlements],
        },
    )
    return {row.delivery_id for row in result}


async def get(
    connection: DbConnection, delivery_id: UUID, *, lock: bool = False
) -> Delivery | None:
    query = select(deliveries).where(deliveries.c.delivery_id == delivery_id)
    if lock:
        query = query.with_for_update()
    row = (await connection.execute(query)).first()
    return to_delivery(row) if row is not None else None


async def requeue(
    connection: DbConnection, *, delivery_id: UUID, now: datetime, extra: int
) -> Delivery:
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
    return to_delivery(result.one())


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


async def forget_addresses(connection: DbConnection, recipient: str) -> None:
    await connection.execute(
        update(deliveries).where(deliveries.c.recipient == recipient).values(address=None)
    )


class SqlDeliveries:
    """`DeliveryRepository` on one transaction's connection."""

    def __init__(self, connection: DbConnection) -> None:
        self._connection = connection

    async def add_planned(self, planned: Sequence[Delivery]) -> list[Delivery]:
        return await insert_planned(self._connection, planned)

    async def wake_senders(self, channels: set[Channel]) -> None:
        await wake_senders(self._connection, channels)

    async def claim_due(
        self, channel: Channel, *, now: datetime, lease: timedelta, limit: int
    ) -> list[Delivery]:
        return await claim_due(self._connection, channel=channel, now=now, lease=lease, limit=limit)

    async def settle_many(
        self, settlements: Sequence[tuple[Delivery, Transition]], *, now: datetime
    ) -> set[UUID]:
        return await settle_many(self._connection, settlements, now=now)

    async def get(self, delivery_id: UUID, *, lock: bool = False) -> Delivery | None:
        return await get(self._connection, delivery_id, lock=lock)

    async def requeue(self, delivery_id: UUID, *, now: datetime, extra: int) -> Delivery:
        return await requeue(self._connection, delivery_id=delivery_id, now=now, extra=extra)

    async def bury_lost_last_attempts(self, *, now: datetime) -> int:
        return await bury_lost_last_attempts(self._connection, now=now)

    async def forget_addresses(self, recipient: str) -> None:
        await forget_addresses(self._connection, recipient)
