"""The repositories payments' use cases reach their data through (`uow.orders`, ...): ports,
implemented in SQL by the modules of this package and in memory by the unit tests' fakes."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from payments.domain.model import Order
from payments.domain.payment_check import PaymentMismatch
from payments.domain.pricing import EarlierPrice, Promo
from payments.domain.product import Product
from payments.domain.receipts import Receipt
from payments.domain.refunds import OwedRefund, PackUse
from shared.uow import RecordsEvents


class OrderRepository(Protocol):
    async def open(self, order: Order, *, idempotency_key: str) -> bool:
        """False if the student already has an order under this idempotency key."""
        ...

    async def by_idempotency_key(self, *, student_id: str, key: str) -> Order | None: ...

    async def get(self, order_id: UUID, *, lock: bool = False) -> Order | None: ...

    async def lock(self, order_ids: Sequence[UUID]) -> None:
        """Lock these orders now, in one statement; the next `get(id, lock=True)` of each
        is answered from it, unless the order was written since."""
        ...

    async def by_payment_ref(self, payment_ref: str, *, lock: bool = False) -> Order | None: ...

    def save_at_commit(self) -> None:
        """From now on in this unit of work `save` writes at the commit, all orders in one
        statement (for a batch where nothing but this repository touches orders)."""
        ...

    async def save(self, order: Order, *, now: datetime, ended: bool = False) -> None:
        """Write the rules' changes back; `ended`: it ended unfulfilled `now`."""
        ...

    async def attach_checkout(
        self, order_id: UUID, *, provider_ref: str, redirect_url: str, now: datetime
    ) -> None: ...

    async def earlier_paid_price(
        self, *, student_id: str, product_id: UUID
    ) -> EarlierPrice | None: ...

    async def pending_past_expiry(self, *, now: datetime, limit: int) -> list[UUID]: ...


class ProductRepository(Protocol):
    async def add(self, product: Product) -> None: ...

    async def get(self, product_id: UUID, *, lock: bool = False) -> Product | None: ...

    async def change(self, product_id: UUID, *, changes: dict[str, Any]) -> None: ...

    async def lowest_active_price(self, mentor_id: str) -> tuple[int, str] | None: ...


class PromoRepository(Protocol):
    async def add(self, **values: Any) -> bool:
        """False if the code exists already."""
        ...

    async def get(self, code: str) -> Promo | None: ...

    async def redeem(self, code: str) -> bool:
        """Take one redemption; False when none is left."""
        ...

    async def give_back(self, code: str) -> None: ...


class RefundRepository(Protocol):
    async def add_succeeded(
        self,
        *,
        refund_id: UUID,
        order_id: UUID,
        amount: int,
        reason: str,
        provider_refund_id: str | None,
        now: datetime,
    ) -> None: ...

    async def add_requested(
        self, *, refund_id: UUID, order_id: UUID, amount: int, reason: str, now: datetime
    ) -> None:
        """Count a refund on the order before the provider is called."""
        ...

    async def settle(
        self, *, refund_id: UUID, succeeded: bool, provider_refund_id: str | None, now: datetime
    ) -> int | None:
        """The settled refund's amount; None if it was settled already."""
        ...

    async def succeeded_total(self, order_id: UUID) -> int: ...

    async def known(self, *, refund_id: UUID | None, provider_refund_id: str | None) -> bool: ...

    async def require_full_refund(
        self,
        *,
        order_id: UUID,
        student_id: str,
        mentor_id: str,
        reason: str,
        event_id: UUID,
        now: datetime,
    ) -> bool:
        """Record once per order that it is owed back in full."""
        ...

    async def required(self, *, limit: int) -> list[UUID]: ...

    async def claim_required(self, order_id: UUID) -> bool: ...

    async def mark_required_done(self, order_id: UUID, *, status: OwedRefund) -> None: ...


class PackUsageRepository(Protocol):
    async def add_pack(self, *, order_id: UUID, pack_id: UUID, sessions_total: int) -> None: ...

    async def booked(self, *, session_id: UUID, pack_id: UUID) -> None: ...

    async def consumed(self, *, session_id: UUID) -> None: ...

    async def usage_of_order(self, order_id: UUID) -> PackUse | None: ...


class MismatchRepository(Protocol):
    async def add(
        self,
        *,
        order_id: UUID,
        provider: str,
        event_id: str,
        mismatch: PaymentMismatch,
        now: datetime,
    ) -> None: ...


class ReceiptRepository(Protocol):
    def issue(self, receipt: Receipt, *, then: Callable[[Receipt], None]) -> None:
        """Number the receipt in its series and write it at the commit, with the unit of work's
        other receipts (one statement); `then(numbered)` for each one written, none for a
        receipt its order (or refund) has already."""
        ...


class WebhookIntake(Protocol):
    """Where a webhook request stores its verified event (committed when `store` returns)."""

    async def store(
        self, *, provider: str, event_id: str, event_type: str, body: bytes, now: datetime
    ) -> bool:
        """False for an event id already stored."""
        ...


@dataclass(frozen=True)
class StoredEvent:
    """A stored provider event claimed for processing, with its raw body."""

    provider: str
    event_id: str
    body: bytes


@dataclass(frozen=True)
class ProcessedEvent:
    """What processing did with one claimed event; `dead_reason` if it can never apply."""

    provider: str
    event_id: str
    outcome: str
    dead_reason: str | None = None


class WebhookEventRepository(Protocol):
    async def claim(self, keys: Sequence[tuple[str, str]]) -> list[StoredEvent]:
        """Those of the (provider, event id) still unprocessed that no one else is
        processing, locked, in the order they were received."""
        ...

    async def mark_processed(self, events: Sequence[ProcessedEvent], *, now: datetime) -> None:
        """Done with these claimed events."""
        ...


class PaymentsUnitOfWork(RecordsEvents, Protocol):
    """What a payments use case takes as `uow`: its repositories and `record(event)`."""

    @property
    def orders(self) -> OrderRepository: ...

    @property
    def products(self) -> ProductRepository: ...

    @property
    def promos(self) -> PromoRepository: ...

    @property
    def refunds(self) -> RefundRepository: ...

    @property
    def pack_usage(self) -> PackUsageRepository: ...

    @property
    def mismatches(self) -> MismatchRepository: ...

    @property
    def webhook_events(self) -> WebhookEventRepository: ...

    @property
    def receipts(self) -> ReceiptRepository: ...
