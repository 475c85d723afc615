"""Orders and provider reports for payments' unit tests, put straight into the fakes."""

import uuid
from datetime import UTC, datetime, timedelta

from payments.domain.model import Order, OrderStatus, PackTerms, Provider
from payments.domain.payment_check import ReportedPayment
from payments.domain.reports import OrderReference, PaymentCaptured

from .fakes import FakePaymentsUnitOfWork

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PRICE = 40000


def an_order(
    status: OrderStatus = OrderStatus.pending, *, refunded: int = 0, promo=None, **fields
) -> Order:
    defaults = {
        "order_id": uuid.uuid4(),
        "student_id": "s",
        "mentor_id": "m",
        "product_id": uuid.uuid4(),
        "provider": Provider.stripe,
        "title": "Five sessions",
        "pack": PackTerms(sessions_count=5, session_minutes=60, validity_days=90),
        "currency": "USD",
        "original_amount": PRICE,
        "discount_amount": 0,
        "final_amount": PRICE,
        "created_at": NOW - timedelta(minutes=5),
        "expires_at": NOW + timedelta(minutes=25),
    }
    return Order(
        **{**defaults, **fields}, status=status, refunded_amount=refunded, promo_code=promo
    )


def stored(uow: FakePaymentsUnitOfWork, status: OrderStatus = OrderStatus.pending, **fields):
    """An order already in the fake repository."""
    return uow.orders.add(an_order(status, **fields))


def captured(order: Order, *, amount: int = PRICE, currency: str = "USD") -> PaymentCaptured:
    return PaymentCaptured(
        OrderReference(order.order_id),
        reported=ReportedPayment(amount=amount, currency=currency),
        payment_ref="pi_1",
    )
