"""What a provider reports, in payments' words (the anti-corruption layer's output).

The adapters read Stripe's and PayPal's event JSON into these; the use cases act on them and
never see a provider's dictionaries. Every report names its order the way the event did.
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from payments.domain.payment_check import ReportedPayment


@dataclass(frozen=True)
class OrderReference:
    """Our order id if the event carries a usable one; else the provider's payment id, by
    which a refund finds the order it belongs to."""

    order_id: UUID | None
    payment_ref: str | None = None


@dataclass(frozen=True)
class PaymentCaptured:
    """The provider says the order was paid (Stripe's checkout paid, PayPal's capture)."""

    order: OrderReference
    reported: ReportedPayment
    payment_ref: str | None  # Stripe's payment intent, PayPal's capture id


@dataclass(frozen=True)
class PaymentAwaited:
    """A checkout completed whose payment has not arrived yet (Stripe's delayed methods)."""

    order: OrderReference


class Ending(StrEnum):
    """Why a checkout ended without a payment (the order's status after it)."""

    failed = "failed"
    expired = "expired"


@dataclass(frozen=True)
class CheckoutEnded:
    """The checkout ended unpaid: the payment failed, the capture was denied, it expired."""

    order: OrderReference
    ending: Ending
    reason: str


@dataclass(frozen=True)
class RefundedTotalSeen:
    """Stripe's charge, refunded: the cumulative amount refunded so far (minor units)."""

    order: OrderReference
    refunded_total: int | None


@dataclass(frozen=True)
class RefundSeen:
    """One PayPal refund: its id, ours if we issued it (its invoice id), and its amount."""

    order: OrderReference
    provider_refund_id: str | None
    our_refund_id: UUID | None
    value: Decimal | None  # PayPal's decimal amount, in the order's currency


@dataclass(frozen=True)
class EventIgnored:
    """An event kind payments does not act on."""

    kind: str


@dataclass(frozen=True)
class UnusableEvent:
    """A signed event whose shape can never apply; it ends once as a dead letter."""

    reason: str


OrderReport = PaymentCaptured | PaymentAwaited | CheckoutEnded | RefundedTotalSeen | RefundSeen
"""A report about one order (it names the order)."""

ProviderReport = OrderReport | EventIgnored | UnusableEvent
"""Everything an adapter may read a provider event as."""
