"""What a payment provider is to checkout: create a checkout, refund a payment."""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from payments.domain.payment_check import ReportedPayment


@dataclass(frozen=True)
class CheckoutRequest:
    order_id: UUID
    student_id: str
    title: str
    amount: int  # minor units, after discounts
    currency: str  # ISO 4217, upper case
    expires_at: datetime


@dataclass(frozen=True)
class ProviderCheckout:
    provider_ref: str  # Stripe session id, PayPal order id
    redirect_url: str


@dataclass(frozen=True)
class RefundRequest:
    refund_id: UUID
    order_id: UUID
    payment_ref: str  # Stripe payment intent, PayPal capture id
    amount: int
    currency: str


class CheckoutProvider(Protocol):
    async def create_checkout(self, request: CheckoutRequest) -> ProviderCheckout: ...

    async def refund(self, request: RefundRequest) -> str:
        """The provider's refund id."""
        ...


@dataclass(frozen=True)
class CaptureResult:
    capture_id: str | None
    completed: bool
    declined: bool  # the payment was refused: the order fails
    status: str  # the provider's word, for the failure reason
    reported: ReportedPayment | None = None  # what the capture says was paid, if it says


class CapturingProvider(CheckoutProvider, Protocol):
    """A provider whose approved checkout must be captured by us (PayPal)."""

    async def capture(self, *, paypal_order_id: str, order_id: str) -> CaptureResult: ...
