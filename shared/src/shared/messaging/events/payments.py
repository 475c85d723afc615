"""The events payments publishes: the module a payload lives in names its producer."""

from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from shared.messaging.events.base import Event, ValidityDays
from shared.types import (
    Currency,
    Identifier,
    MinorUnits,
    Minutes,
    PositiveCount,
    ShortText,
    Text,
    Timestamp,
    UserId,
)


class ProductUpdated(Event):
    subject = "product.updated"
    product_id: UUID
    mentor_id: UserId
    title: ShortText
    price_amount: MinorUnits = Field(description="minor units")
    currency: Currency
    sessions_count: PositiveCount
    session_minutes: Minutes
    validity_days: ValidityDays
    active: bool
    # The mentor's cheapest product on sale after this change (search shows it); None: none.
    mentor_lowest_price_amount: MinorUnits | None = None
    mentor_lowest_price_currency: Currency | None = None


class PackShape(BaseModel):
    """The product snapshot a pack is made from."""

    sessions_count: PositiveCount
    session_minutes: Minutes
    validity_days: ValidityDays


class PaymentSucceeded(Event):
    subject = "payment.succeeded"
    order_id: UUID
    student_id: UserId
    mentor_id: UserId
    product_id: UUID
    amount: MinorUnits
    currency: Currency
    provider: Literal["stripe", "paypal", "sandbox"]
    paid_at: Timestamp
    pack: PackShape


class PaymentFailed(Event):
    subject = "payment.failed"
    order_id: UUID
    student_id: UserId
    mentor_id: UserId
    reason: Text


class PaymentRefunded(Event):
    subject = "payment.refunded"
    order_id: UUID
    refund_id: UUID
    student_id: UserId
    mentor_id: UserId
    amount: MinorUnits
    currency: Currency
    full: bool
    refunded_at: Timestamp


class ReceiptIssued(Event):
    """A receipt was issued: for a paid order (`purchase`) or for a refund (`refund`, a credit
    note); its number is unique in its series. Read it at `/v1/receipts/{receipt_id}`."""

    subject = "receipt.issued"
    receipt_id: UUID
    number: Identifier
    kind: Literal["purchase", "refund"]
    order_id: UUID
    student_id: UserId
    mentor_id: UserId
    amount: MinorUnits = Field(description="minor units: what was paid, or refunded")
    currency: Currency
    issued_at: Timestamp
