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
    status: OrderStatus
    final_amount: int
    refunded_amount: int
    promo_code: str | None = None
    promo_returned: bool = False
    paid_at: datetime | None = None

    def pay(self, now: datetime) -> bool:
        """True if this payment fulfils the order (only a pending one)."""
        if self.status is not OrderStatus.pending:
            return False
        self.status = OrderStatus.paid
        self.paid_at = now
        return True

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
