"""Orders in Postgres: insert once per idempotency key, lock, save the rules' changes."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ARRAY, Uuid, any_, bindparam, select, text, update
from sqlalchemy.dialects.postgresql import insert

from payments.adapters.tables import orders
from payments.domain.model import Order, OrderStatus, PackTerms, Provider
from payments.domain.pricing import EarlierPrice
from shared.db import AnyRow, DbConnection
from shared.uow import UnitOfWork

# Built once: a batch of webhook events saves its orders in one statement (`save_at_commit`).
SAVED_COLUMNS = (
    "order_ids",
    "statuses",
    "refunded",
    "promo_returned",
    "paid_at",
    "payment_refs",
    "failure_reasons",
    "updated_at",
    "ended_at",
)
SAVE_ORDERS = text(
    "UPDATE orders SET status = saved.status, refunded_amount = saved.refunded_amount,"
    " promo_returned = saved.promo_returned, paid_at = saved.paid_at,"
    " payment_ref = saved.payment_ref, failure_reason = saved.failure_reason,"
    " updated_at = saved.updated_at, ended_at = COALESCE(saved.ended_at, orders.ended_at)"
    " FROM unnest(CAST(:order_ids AS uuid[]), CAST(:statuses AS text[]),"
    " CAST(:refunded AS bigint[]), CAST(:promo_returned AS boolean[]),"
    " CAST(:paid_at AS timestamptz[]), CAST(:payment_refs AS text[]),"
    " CAST(:failure_reasons AS text[]), CAST(:updated_at AS timestamptz[]),"
    " CAST(:ended_at AS timestamptz[]))"
    " AS saved(order_id, status, refunded_amount, promo_returned, paid_at, payment_ref,"
    " failure_reason, updated_at, ended_at)"
    " WHERE orders.order_id = saved.order_id"
)
# Built once: a batch of webhook events locks its orders in one statement.
LOCK_ORDERS = (
    select(orders)
    .where(orders.c.order_id == any_(bindparam("order_ids", type_=ARRAY(Uuid))))
    .order_by(orders.c.order_id)
    .with_for_update()
)


def _order(row: AnyRow | None) -> Order | None:
    if row is None:
        return None
    return Order(
        order_id=row.order_id,
        student_id=row.student_id,
        mentor_id=row.mentor_id,
        product_id=row.product_id,
        provider=Provider(row.provider),
        title=row.title,
        pack=PackTerms(
            sessions_count=row.sessions_count,
            session_minutes=row.session_minutes,
            validity_days=row.validity_days,
        ),
        currency=row.currency,
        original_amount=row.original_amount,
        discount_amount=row.discount_amount,
        final_amount=row.final_amount,
        created_at=row.created_at,
        expires_at=row.expires_at,
        status=OrderStatus(row.status),
        refunded_amount=row.refunded_amount,
        promo_code=row.promo_code,
        promo_returned=row.promo_returned,
        paid_at=row.paid_at,
        provider_ref=row.provider_ref,
        payment_ref=row.payment_ref,
        redirect_url=row.redirect_url,
        failure_reason=row.failure_reason,
        request_fingerprint=row.request_fingerprint,
    )


class _OrdersToSave:
    """Orders saved in a unit of work, written in one statement before it commits (dropped
    with its rollback)."""

    def __init__(self, connection: DbConnection) -> None:
        self._connection = connection
        self.rows: dict[UUID, dict[str, Any]] = {}

    async def __call__(self) -> None:
        rows = list(self.rows.values())
        self.rows.clear()
        if rows:
            await self._connection.execute(
                SAVE_ORDERS, {key: [row[key] for row in rows] for key in SAVED_COLUMNS}
            )


class SqlOrders:
    """Orders in SQL on one unit of work's connection (`OrderRepository`)."""

    def __init__(self, connection: DbConnection, uow: UnitOfWork | None = None) -> None:
        self._connection = connection
        self._uow = uow
        # Rows locked by `lock` in this transaction and not read or written since.
        self._locked: dict[UUID, AnyRow] = {}
        self._save_at_commit = False

    def save_at_commit(self) -> None:
        """From now on `save` writes at the commit, every saved order in one statement (a
        read or write of orders through this repository writes them first)."""
        if self._uow is None:
            raise RuntimeError("save_at_commit needs the unit of work")
        self._save_at_commit = True

    def _orders_to_save(self) -> "_OrdersToSave":
        assert self._uow is not None  # save_at_commit refuses a repository without one
        return self._uow.before_commit(_OrdersToSave, lambda: _OrdersToSave(self._connection))

    async def _write_saved(self) -> None:
        if self._save_at_commit:
            await self._orders_to_save()()

    async def open(self, order: Order, *, idempotency_key: str) -> bool:
        """False if the student already has an order under this idempotency key.

        A concurrent insert with the same key waits for the other transaction, then does nothing.
        """
        result = await self._connection.execute(
            insert(orders)
            .values(
                order_id=order.order_id,
                student_id=order.student_id,
                mentor_id=order.mentor_id,
                product_id=order.product_id,
                provider=order.provider.value,
                status=order.status.value,
                idempotency_key=idempotency_key,
                request_fingerprint=order.request_fingerprint,
                title=order.title,
                sessions_count=order.pack.sessions_count,
                session_minutes=order.pack.session_minutes,
                validity_days=order.pack.validity_days,
                currency=order.currency,
                original_amount=order.original_amount,
                discount_amount=order.discount_amount,
                final_amount=order.final_amount,
                promo_code=order.promo_code,
                created_at=order.created_at,
                expires_at=order.expires_at,
                updated_at=order.created_at,
            )
            .on_conflict_do_nothing(constraint="uq_orders_student_key")
            .returning(orders.c.order_id)
        )
        return result.first() is not None

    async def by_idempotency_key(self, *, student_id: str, key: str) -> Order | None:
        await self._write_saved()
        query = select(orders).where(
            orders.c.student_id == student_id, orders.c.idempotency_key == key
        )
        return _order((await self._connection.execute(query)).first())

    async def get(self, order_id: UUID, *, lock: bool = False) -> Order | None:
        if lock and order_id in self._locked:  # locked by this transaction, untouched since
            return _order(self._locked.pop(order_id))
        await self._write_saved()
        query = select(orders).where(orders.c.order_id == order_id)
        if lock:
            query = query.with_for_update()
        return _order((await self._connection.execute(query)).first())

    async def lock(self, order_ids: Sequence[UUID]) -> None:
        """Lock the orders in one statement, in id order (the order every batch locks in);
        each row serves the next `get(id, lock=True)` once, unless `save` wrote it first."""
        if not order_ids:
            return
        await self._write_saved()
        result = await self._connection.execute(LOCK_ORDERS, {"order_ids": sorted(set(order_ids))})
        self._locked.update((row.order_id, row) for row in result)

    async def by_payment_ref(self, payment_ref: str, *, lock: bool = False) -> Order | None:
        await self._write_saved()
        query = select(orders).where(orders.c.payment_ref == payment_ref)
        if lock:
            query = query.with_for_update()
        return _order((await self._connection.execute(query)).first())

    async def save(self, order: Order, *, now: datetime, ended: bool = False) -> None:
        """Write the rules' view of the order back; `ended`: it ended unfulfilled `now`."""
        self._locked.pop(order.order_id, None)
        if self._save_at_commit:
            saving = self._orders_to_save().rows
            earlier = saving.get(order.order_id)
            saving[order.order_id] = {
                "order_ids": order.order_id,
                "statuses": order.status.value,
                "refunded": order.refunded_amount,
                "promo_returned": order.promo_returned,
                "paid_at": order.paid_at,
                "payment_refs": order.payment_ref,
                "failure_reasons": order.failure_reason,
                "updated_at": now,
                "ended_at": now if ended else earlier and earlier["ended_at"],
            }
            return
        extra = {"ended_at": now} if ended else {}
        await self._connection.execute(
            update(orders)
            .where(orders.c.order_id == order.order_id)
            .values(
                status=order.status.value,
                refunded_amount=order.refunded_amount,
                promo_returned=order.promo_returned,
                paid_at=order.paid_at,
                payment_ref=order.payment_ref,
                failure_reason=order.failure_reason,
                updated_at=now,
                **extra,
            )
        )

    async def attach_checkout(
        self, order_id: UUID, *, provider_ref: str, redirect_url: str, now: datetime
    ) -> None:
        """Store the provider's checkout once; a replay that raced us keeps the first one."""
        self._locked.pop(order_id, None)
        await self._write_saved()
        await self._connection.execute(
            update(orders)
            .where(orders.c.order_id == order_id, orders.c.redirect_url.is_(None))
            .values(provider_ref=provider_ref, redirect_url=redirect_url, updated_at=now)
        )

    async def earlier_paid_price(self, *, student_id: str, product_id: UUID) -> EarlierPrice | None:
        await self._write_saved()
        """The list price of the student's latest paid order of this product, if any."""
        query = (
            select(orders.c.original_amount, orders.c.currency)
            .where(
                orders.c.student_id == student_id,
                orders.c.product_id == product_id,
                orders.c.paid_at.is_not(None),
            )
            .order_by(orders.c.paid_at.desc())
            .limit(1)
        )
        row = (await self._connection.execute(query)).first()
        return EarlierPrice(row.original_amount, row.currency) if row is not None else None

    async def pending_past_expiry(self, *, now: datetime, limit: int) -> list[UUID]:
        await self._write_saved()
        query = (
            select(orders.c.order_id)
            .where(orders.c.status == OrderStatus.pending.value, orders.c.expires_at <= now)
            .order_by(orders.c.expires_at)
            .limit(limit)
        )
        return list((await self._connection.execute(query)).scalars())
