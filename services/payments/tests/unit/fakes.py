"""Payments' repositories in memory, on the kernel's fake unit of work: use cases without
Postgres. They answer as the SQL ones do (`payments.adapters.repositories`), minus the locks."""

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any
from uuid import UUID

from payments.adapters.repositories import ProcessedEvent, StoredEvent
from payments.domain.model import Order, OrderStatus
from payments.domain.payment_check import PaymentMismatch
from payments.domain.pricing import EarlierPrice, Promo
from payments.domain.product import Product
from payments.domain.receipts import Receipt, ReceiptKind, receipt_number
from payments.domain.refunds import OwedRefund, PackUse
from shared.clock import Clock
from shared.testing.fakes import FakeUnitOfWork


class FakeOrders:
    def __init__(self) -> None:
        self.rows: dict[UUID, Order] = {}
        self.keys: dict[tuple[str, str], UUID] = {}
        self.ended_at: dict[UUID, datetime] = {}

    def add(self, order: Order) -> Order:
        self.rows[order.order_id] = replace(order)
        return order

    async def lock(self, order_ids: Sequence[UUID]) -> None:
        """Nothing to lock in memory (the SQL one locks and reads ahead)."""

    def save_at_commit(self) -> None:
        """Saved at once in memory (the SQL one writes them together at the commit)."""

    async def open(self, order: Order, *, idempotency_key: str) -> bool:
        key = (order.student_id, idempotency_key)
        if key in self.keys:
            return False
        self.keys[key] = order.order_id
        self.add(order)
        return True

    async def by_idempotency_key(self, *, student_id: str, key: str) -> Order | None:
        order_id = self.keys.get((student_id, key))
        return None if order_id is None else await self.get(order_id)

    async def get(self, order_id: UUID, *, lock: bool = False) -> Order | None:
        found = self.rows.get(order_id)
        return None if found is None else replace(found)

    async def by_payment_ref(self, payment_ref: str, *, lock: bool = False) -> Order | None:
        for order in self.rows.values():
            if order.payment_ref == payment_ref:
                return replace(order)
        return None

    async def save(self, order: Order, *, now: datetime, ended: bool = False) -> None:
        self.rows[order.order_id] = replace(order)
        if ended:
            self.ended_at[order.order_id] = now

    async def attach_checkout(
        self, order_id: UUID, *, provider_ref: str, redirect_url: str, now: datetime
    ) -> None:
        order = self.rows[order_id]
        if order.redirect_url is None:
            order.provider_ref, order.redirect_url = provider_ref, redirect_url

    async def earlier_paid_price(self, *, student_id: str, product_id: UUID) -> EarlierPrice | None:
        paid = [
            order
            for order in self.rows.values()
            if (order.student_id, order.product_id) == (student_id, product_id) and order.paid_at
        ]
        latest = max(paid, key=lambda order: order.paid_at or order.created_at, default=None)
        return None if latest is None else EarlierPrice(latest.original_amount, latest.currency)

    async def pending_past_expiry(self, *, now: datetime, limit: int) -> list[UUID]:
        due = [o for o in self.rows.values() if o.status is OrderStatus.pending]
        due = sorted((o for o in due if o.expires_at <= now), key=lambda o: o.expires_at)
        return [order.order_id for order in due[:limit]]


class FakeRefunds:
    def __init__(self) -> None:
        self.succeeded: dict[UUID, tuple[UUID, int, str | None]] = {}  # id: order, amount, theirs
        self.owed: dict[UUID, OwedRefund] = {}  # order id: state

    async def add_succeeded(
        self,
        *,
        refund_id: UUID,
        order_id: UUID,
        amount: int,
        reason: str,
        provider_refund_id: str | None,
        now: datetime,
    ) -> None:
        self.succeeded[refund_id] = (order_id, amount, provider_refund_id)

    async def add_requested(self, **fields: Any) -> None:
        raise NotImplementedError("issued refunds call a provider: integration tests")

    async def settle(self, **fields: Any) -> int | None:
        raise NotImplementedError("issued refunds call a provider: integration tests")

    async def succeeded_total(self, order_id: UUID) -> int:
        return sum(amount for order, amount, _ in self.succeeded.values() if order == order_id)

    async def known(self, *, refund_id: UUID | None, provider_refund_id: str | None) -> bool:
        theirs = {provider for _, _, provider in self.succeeded.values() if provider}
        return refund_id in self.succeeded or provider_refund_id in theirs

    async def require_full_refund(self, *, order_id: UUID, **fields: Any) -> bool:
        if order_id in self.owed:
            return False
        self.owed[order_id] = OwedRefund.required
        return True

    async def required(self, *, limit: int) -> list[UUID]:
        return [o for o, state in self.owed.items() if state is OwedRefund.required][:limit]

    async def claim_required(self, order_id: UUID) -> bool:
        return self.owed.get(order_id) is OwedRefund.required

    async def mark_required_done(self, order_id: UUID, *, status: OwedRefund) -> None:
        self.owed[order_id] = status


class FakePromos:
    def __init__(self) -> None:
        self.rows: dict[str, Promo] = {}
        self.redeemed: dict[str, int] = {}

    async def add(self, **values: Any) -> bool:
        raise NotImplementedError

    async def get(self, code: str) -> Promo | None:
        return self.rows.get(code)

    async def redeem(self, code: str) -> bool:
        self.redeemed[code] = self.redeemed.get(code, 0) + 1
        return True

    async def give_back(self, code: str) -> None:
        self.redeemed[code] = max(self.redeemed.get(code, 0) - 1, 0)


class FakeMismatches:
    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], tuple[UUID, PaymentMismatch]] = {}

    async def add(
        self,
        *,
        order_id: UUID,
        provider: str,
        event_id: str,
        mismatch: PaymentMismatch,
        now: datetime,
    ) -> None:
        self.rows.setdefault((provider, event_id), (order_id, mismatch))


class FakeProducts:
    def __init__(self) -> None:
        self.rows: dict[UUID, Product] = {}

    async def add(self, product: Product) -> None:
        self.rows[product.product_id] = product

    async def get(self, product_id: UUID, *, lock: bool = False) -> Product | None:
        return self.rows.get(product_id)

    async def change(self, product_id: UUID, *, changes: dict[str, Any]) -> None:
        self.rows[product_id] = replace(self.rows[product_id], **changes)

    async def lowest_active_price(self, mentor_id: str) -> tuple[int, str] | None:
        mine = [p for p in self.rows.values() if p.mentor_id == mentor_id and p.active]
        cheapest = min(mine, key=lambda p: (p.price_amount, p.created_at), default=None)
        return None if cheapest is None else (cheapest.price_amount, cheapest.currency)


class FakePackUsage:
    def __init__(self) -> None:
        self.packs: dict[UUID, tuple[UUID, int]] = {}  # order id: pack id, sessions
        self.sessions: dict[UUID, tuple[UUID | None, bool]] = {}  # session: pack, consumed

    async def add_pack(self, *, order_id: UUID, pack_id: UUID, sessions_total: int) -> None:
        self.packs.setdefault(order_id, (pack_id, sessions_total))

    async def booked(self, *, session_id: UUID, pack_id: UUID) -> None:
        self.sessions[session_id] = (pack_id, self.sessions.get(session_id, (None, False))[1])

    async def consumed(self, *, session_id: UUID) -> None:
        self.sessions[session_id] = (self.sessions.get(session_id, (None, False))[0], True)

    async def usage_of_order(self, order_id: UUID) -> PackUse | None:
        if order_id not in self.packs:
            return None
        pack_id, total = self.packs[order_id]
        used = sum(1 for pack, done in self.sessions.values() if pack == pack_id and done)
        return PackUse(sessions_total=total, sessions_used=used)


class FakeWebhookIntake:
    """`WebhookIntake` in memory: the stored events' bodies by (provider, event id)."""

    def __init__(self) -> None:
        self.bodies: dict[tuple[str, str], bytes] = {}

    async def store(
        self, *, provider: str, event_id: str, event_type: str, body: bytes, now: datetime
    ) -> bool:
        if (provider, event_id) in self.bodies:
            return False
        self.bodies[provider, event_id] = body
        return True


class FakeWebhookEvents:
    def __init__(self, intake: FakeWebhookIntake | None = None) -> None:
        self.intake = intake or FakeWebhookIntake()
        self.outcomes: dict[tuple[str, str], str] = {}
        self.dead: dict[tuple[str, str], str] = {}

    async def claim(self, keys: Sequence[tuple[str, str]]) -> list[StoredEvent]:
        return [
            StoredEvent(provider, event_id, self.intake.bodies[provider, event_id])
            for provider, event_id in dict.fromkeys(keys)
            if (provider, event_id) in self.intake.bodies
            and (provider, event_id) not in self.outcomes
        ]

    async def mark_processed(self, events: Sequence[ProcessedEvent], *, now: datetime) -> None:
        for event in events:
            self.outcomes[event.provider, event.event_id] = event.outcome
            if event.dead_reason is not None:
                self.dead[event.provider, event.event_id] = event.dead_reason


class FakeReceipts:
    """Receipts in memory, numbered at once in their series (the SQL one at the commit)."""

    def __init__(self) -> None:
        self.rows: dict[UUID, Receipt] = {}
        self.sequences = dict.fromkeys(ReceiptKind, 0)

    def issue(self, receipt: Receipt, *, then: Callable[[Receipt], None]) -> None:
        for held in self.rows.values():
            same_purchase = (held.kind, held.order_id) == (ReceiptKind.purchase, receipt.order_id)
            if (receipt.kind is ReceiptKind.purchase and same_purchase) or (
                receipt.refund_id is not None and held.refund_id == receipt.refund_id
            ):
                return
        self.sequences[receipt.kind] += 1
        purchase = self.of_order(receipt.order_id, ReceiptKind.purchase)
        numbered = receipt.numbered(
            receipt_number(
                receipt.kind, year=receipt.issued_at.year, sequence=self.sequences[receipt.kind]
            ),
            refers_to=purchase[0].number
            if purchase and receipt.kind is ReceiptKind.refund
            else None,
        )
        self.rows[receipt.receipt_id] = numbered
        then(numbered)

    def of_order(self, order_id: UUID, kind: ReceiptKind | None = None) -> list[Receipt]:
        return [
            r
            for r in self.rows.values()
            if r.order_id == order_id and (kind is None or r.kind is kind)
        ]


class FakePaymentsUnitOfWork(FakeUnitOfWork):
    """`PaymentsUnitOfWork` in memory; `commits`, `published` and `events()` from the kernel's."""

    def __init__(self, *, clock: Clock | None = None) -> None:
        super().__init__(producer="payments", clock=clock)
        self.orders = FakeOrders()
        self.products = FakeProducts()
        self.promos = FakePromos()
        self.refunds = FakeRefunds()
        self.pack_usage = FakePackUsage()
        self.mismatches = FakeMismatches()
        self.webhook_events = FakeWebhookEvents()
        self.receipts = FakeReceipts()
