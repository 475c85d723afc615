"""Orders: what was bought at which price, and the one-way life of its status."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from payments.domain.errors import OrderNotRefundable, RefundExceedsPaid


class Provider(StrEnum):
    stripe = "stripe"
    paypal = "paypal"
    sandbox = "sandbox"


class OrderStatus(StrEnum):
    pending = "pending"
    paid = "paid"
    partially_refunded = "partially_refunded"
    refunded = "refunded"
    failed = "failed"
    expired = "expired"


PAID_STATES = frozenset({OrderStatus.paid, OrderStatus.partially_refunded})
ENDED_UNPAID = frozenset({OrderStatus.failed, OrderStatus.expired})


@dataclass(frozen=True)
class PackTerms:
    """The pack an order buys, as the product stood when the order opened."""

    sessions_count: int
    session_minutes: int
    validity_days: int


@dataclass
class Order:
    """An order as the rules see it; the status only moves forward.

    `pending → paid → partially_refunded → refunded` and `pending → failed | expired`;
    a refund seen before the payment (events can arrive in any order) goes straight to
    `refunded` and the order is never fulfilled.
    """

    order_id: UUID
    student_id: str
    mentor_id: str
    product_id: UUID
    provider: Provider
    title: str
    pack: PackTerms
    currency: str
    original_amount: int  # minor units: the list price (or the grandfathered one)
    discount_amount: int
    final_amount: int  # what the student pays: original less the promo's discount
    created_at: datetime
    expires_at: datetime  # the checkout's end
    status: OrderStatus = OrderStatus.pending
    refunded_amount: int = 0
    promo_code: str | None = None
    promo_returned: bool = False
    paid_at: datetime | None = None
    provider_ref: str | None = None  # the provider's checkout: Stripe session, PayPal order
    payment_ref: str | None = None  # the provider's payment: Stripe intent, PayPal capture
    redirect_url: str | None = None
    failure_reason: str | None = None
    request_fingerprint: str = ""  # of the checkout request that opened it (idempotency)

    def pay(self, now: datetime) -> bool:
        """True if this payment fulfils the order (only a pending one)."""
        if self.status is not OrderStatus.pending:
            return False
        self.status = OrderStatus.paid
        self.paid_at = now
        return True

    def checkout_over(self, now: datetime) -> bool:
        """Still pending after its checkout's end: nobody paid, it can expire."""
        return self.status is OrderStatus.pending and self.expires_at <= now

    @property
    def ended_unpaid(self) -> bool:
        """Failed or expired: a payment arriving now is owed back."""
        return self.status in ENDED_UNPAID

    @property
    def capturable(self) -> bool:
        """A PayPal checkout the student approved can be captured (once it exists)."""
        return self.provider is Provider.paypal and bool(self.provider_ref)

    def end_unpaid(self, status: OrderStatus) -> bool:
        """Fail or expire a pending order; True if it ended now."""
        if status not in ENDED_UNPAID or self.status is not OrderStatus.pending:
            return False
        self.status = status
        return True

    @property
    def refundable(self) -> int:
        return self.final_amount - self.refunded_amount

    def refund(self, amount: int) -> "RefundEffect":
        """Count a refund of `amount` minor units; never more than what is left of the paid sum."""
        if amount <= 0 or amount > self.refundable:
            raise RefundExceedsPaid(
                f"refund of {amount} but {self.refundable} of {self.final_amount} is refundable"
            )
        before_payment = self.status is OrderStatus.pending
        self.refunded_amount += amount
        full = self.refunded_amount == self.final_amount
        self.status = (
            OrderStatus.refunded if full or before_payment else OrderStatus.partially_refunded
        )
        return RefundEffect(full=full or before_payment, before_payment=before_payment)

    def reserve_refund(self, amount: int) -> None:
        """Count a refund about to be issued; the status moves when the provider confirms it."""
        if self.status not in PAID_STATES | ENDED_UNPAID:  # ended unpaid: a late payment
            raise OrderNotRefundable(f"order {self.order_id} is {self.status}, not paid")
        if amount <= 0 or amount > self.refundable:
            raise RefundExceedsPaid(
                f"refund of {amount} but {self.refundable} of {self.final_amount} is refundable"
            )
        self.refunded_amount += amount

    def confirm_refunds(self, confirmed_total: int) -> bool:
        """Move the status on after a confirmed refund; True if the order is now fully refunded."""
        full = confirmed_total >= self.final_amount
        if self.status in PAID_STATES:
            self.status = OrderStatus.refunded if full else OrderStatus.partially_refunded
        return full

    def take_back_promo(self) -> bool:
        """True once, when an order that used a code ends without being fulfilled."""
        unfulfilled = self.status in ENDED_UNPAID or (
            self.status is OrderStatus.refunded and self.paid_at is None
        )
        if self.promo_code is None or self.promo_returned or not unfulfilled:
            return False
        self.promo_returned = True
        return True


@dataclass(frozen=True)
class RefundEffect:
    full: bool
    before_payment: bool  # the order was never fulfilled: its seat hold must be released
