"""HTTP models of payments."""

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from shared.types import Currency, PatchModel, Timestamp, UserId, line

Title = Annotated[str, StringConstraints(strip_whitespace=True), line(200, min_length=1)]
PriceAmount = Annotated[int, Field(gt=0, le=100_000_000, description="minor units (cents)")]
SessionsCount = Annotated[int, Field(gt=0, le=100)]
SessionMinutes = Annotated[int, Field(ge=15, le=480)]
ValidityDays = Annotated[int, Field(gt=0, le=365)]


class ProductCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Title
    price_amount: PriceAmount
    currency: Currency
    sessions_count: SessionsCount = 4
    session_minutes: SessionMinutes = 60
    validity_days: ValidityDays = 30
    active: bool = True
    grandfathered: bool = Field(False, description="a returning student keeps their price")


class ProductUpdate(PatchModel):
    """Only the fields sent are changed; a field may be left out but not sent as null."""

    title: Title | None = None
    price_amount: PriceAmount | None = None
    currency: Currency | None = None
    sessions_count: SessionsCount | None = None
    session_minutes: SessionMinutes | None = None
    validity_days: ValidityDays | None = None
    active: bool | None = None
    grandfathered: bool | None = None


class ProductRead(BaseModel):
    product_id: UUID
    mentor_id: str
    title: str
    price_amount: int
    currency: str
    sessions_count: int
    session_minutes: int
    validity_days: int
    active: bool
    grandfathered: bool
    created_at: datetime
    updated_at: datetime


class RefundRequestRead(BaseModel):
    order_id: UUID
    student_id: str
    mentor_id: str
    reason: str
    status: str
    requested_at: datetime


# Promo codes are case-insensitive: stored and matched upper-case.
PromoCodeText = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$"
    ),
    AfterValidator(str.upper),
]


class CheckoutCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    product_id: UUID
    provider: Literal["stripe", "paypal", "sandbox"]
    promo_code: PromoCodeText | None = None


class OrderRead(BaseModel):
    order_id: UUID
    student_id: str
    mentor_id: str
    product_id: UUID
    provider: str
    status: str
    title: str
    currency: str
    original_amount: int
    discount_amount: int
    final_amount: int
    refunded_amount: int
    promo_code: str | None
    redirect_url: str | None
    created_at: datetime
    expires_at: datetime
    paid_at: datetime | None
    failure_reason: str | None


class OrderPage(BaseModel):
    items: list[OrderRead]
    total: int
    limit: int
    offset: int


Reason = Annotated[str, StringConstraints(strip_whitespace=True), line(500, min_length=1)]


class RefundCreate(BaseModel):
    """No `amount`: everything not yet refunded; `pro_rata`: the share of unused sessions."""

    model_config = ConfigDict(extra="forbid")

    amount: PriceAmount | None = None
    pro_rata: bool = False
    reason: Reason = "refunded by an operator"

    @model_validator(mode="after")
    def _one_way(self) -> "RefundCreate":
        if self.pro_rata and self.amount is not None:
            raise ValueError("give an amount or pro_rata, not both")
        return self


class RefundRead(BaseModel):
    refund_id: UUID
    order_id: UUID
    amount: int
    status: str
    reason: str
    provider_refund_id: str | None
    created_at: datetime


class _PromoScope(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: PromoCodeText
    expires_at: Timestamp | None = None
    max_redemptions: Annotated[int, Field(gt=0, le=1_000_000)] | None = None
    product_id: UUID | None = None
    mentor_id: UserId | None = None


class PercentPromoCreate(_PromoScope):
    """A share off the price: `percent_off` only (no amount or currency)."""

    kind: Literal["percent"]
    percent_off: Annotated[int, Field(ge=1, le=100)]
    amount_off: None = None
    currency: None = None


class FixedPromoCreate(_PromoScope):
    """An amount off in one currency: `amount_off` and `currency` (no percent)."""

    kind: Literal["fixed"]
    amount_off: PriceAmount
    currency: Currency
    percent_off: None = None


# The schema says which fields each kind takes (a oneOf on `kind`), so a generated client
# never sends a combination the service refuses.
PromoCodeCreate = Annotated[PercentPromoCreate | FixedPromoCreate, Field(discriminator="kind")]


class PromoCodeRead(BaseModel):
    code: str
    kind: str
    percent_off: int | None
    amount_off: int | None
    currency: str | None
    expires_at: datetime | None
    max_redemptions: int | None
    redeemed: int
    product_id: UUID | None
    mentor_id: str | None
    created_at: datetime


class ReceiptSeller(BaseModel):
    name: str
    address: str
    tax_id: str


class ReceiptBuyer(BaseModel):
    student_id: str


class ReceiptLineRead(BaseModel):
    description: str
    quantity: int
    amount: int = Field(description="minor units; a discount is negative")


class ReceiptTax(BaseModel):
    label: str
    percent: str = Field(description="the rate, e.g. '19'")
    amount: int = Field(description="minor units, included in the total")
    inclusive: bool


class ReceiptLinks(BaseModel):
    html: str
    pdf: str


class ReceiptRead(BaseModel):
    """A receipt as issued: `R-…` for a paid order, `C-…` (a credit note) for a refund."""

    receipt_id: UUID
    number: str
    kind: Literal["purchase", "refund"]
    order_id: UUID
    refund_id: UUID | None
    refers_to: str | None = Field(description="a refund's: the order's purchase receipt")
    issued_at: datetime
    seller: ReceiptSeller
    buyer: ReceiptBuyer
    lines: list[ReceiptLineRead]
    total: int = Field(description="minor units: paid, or refunded")
    currency: str
    tax: ReceiptTax | None
    provider: str
    provider_ref: str | None
    links: ReceiptLinks
