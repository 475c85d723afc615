"""Receipts: what a paid order or a refund is written up as, line by line (decision 0041).

A receipt is built here from the order whole but its number; the repository numbers it in its
series as it writes it (`R-2026-000042` for purchases, `C-2026-000007` for refunds, the
credit notes). Amounts are minor units of the order's currency. A configured tax rate is
included in the price the student paid: the tax line shows the share of the total it is.
"""

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from uuid import UUID

from payments.domain.model import Order, Provider


class ReceiptKind(StrEnum):
    purchase = "purchase"
    refund = "refund"


SERIES_PREFIX = {ReceiptKind.purchase: "R", ReceiptKind.refund: "C"}
NUMBER_DIGITS = 6


def number_prefix(kind: ReceiptKind, *, year: int) -> str:
    """`R-2026-`: the series' letter and the year the receipt is issued in."""
    return f"{SERIES_PREFIX[kind]}-{year:04d}-"


def receipt_number(kind: ReceiptKind, *, year: int, sequence: int) -> str:
    """`R-2026-000042`: the prefix, then the receipt's place in its series (at least 6 digits;
    the series runs on across years)."""
    return f"{number_prefix(kind, year=year)}{sequence:0{NUMBER_DIGITS}d}"


@dataclass(frozen=True)
class Seller:
    name: str
    address: str = ""
    tax_id: str = ""


@dataclass(frozen=True)
class TaxRate:
    """A tax included in every price (`percent` of the net amount, e.g. 19 for 19% VAT)."""

    percent: Decimal
    label: str = "VAT"

    def __post_init__(self) -> None:
        object.__setattr__(self, "percent", Decimal(self.percent))

    def included_in(self, gross: int) -> int:
        """The tax share of a gross amount in minor units, rounded half up."""
        share = Decimal(gross) * self.percent / (Decimal(100) + self.percent)
        return int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class ReceiptTerms:
    """Who issues receipts and the tax they show, from the settings."""

    seller: Seller = Seller("Mentorship")
    tax: TaxRate | None = None


@dataclass(frozen=True)
class Buyer:
    """The student, as payments knows them (it holds no name or email)."""

    student_id: str


@dataclass(frozen=True)
class ReceiptLine:
    """One line: the pack bought, the promo's discount (negative), or the amount refunded."""

    description: str
    amount: int
    quantity: int = 1


@dataclass(frozen=True)
class TaxLine:
    label: str
    percent: Decimal
    amount: int  # included in the total
    inclusive: bool = True


@dataclass(frozen=True)
class Receipt:
    receipt_id: UUID
    kind: ReceiptKind
    order_id: UUID
    refund_id: UUID | None
    student_id: str
    mentor_id: str
    seller: Seller
    buyer: Buyer
    lines: tuple[ReceiptLine, ...]
    total: int  # paid, or refunded: the lines add up to it
    currency: str
    tax: TaxLine | None
    provider: Provider
    provider_ref: str | None  # Stripe payment intent or refund, PayPal capture or refund
    issued_at: datetime
    number: str | None = None  # given in its series when it is written
    refers_to: str | None = None  # a refund's: the number of the order's purchase receipt

    @property
    def number_prefix(self) -> str:
        """`R-2026-`: the series and the year (UTC) it is issued in; the sequence follows."""
        return number_prefix(self.kind, year=self.issued_at.astimezone(UTC).year)

    def numbered(self, number: str, *, refers_to: str | None = None) -> "Receipt":
        return replace(self, number=number, refers_to=refers_to)


def _item(order: Order) -> ReceiptLine:
    pack = order.pack
    return ReceiptLine(
        f"{order.title}: pack of {pack.sessions_count} sessions of {pack.session_minutes} min"
        f" with mentor {order.mentor_id}, valid {pack.validity_days} days",
        order.original_amount,
    )


def _tax(total: int, terms: ReceiptTerms) -> TaxLine | None:
    if terms.tax is None:
        return None
    return TaxLine(terms.tax.label, terms.tax.percent, terms.tax.included_in(total))


def purchase_receipt(
    order: Order, *, receipt_id: UUID, terms: ReceiptTerms, issued_at: datetime
) -> Receipt:
    """The receipt of a paid order: the pack at its price, the promo's discount, the total."""
    lines = [_item(order)]
    if order.discount_amount:
        code = f" {order.promo_code}" if order.promo_code else ""
        lines.append(ReceiptLine(f"Discount (promo code{code})", -order.discount_amount))
    return Receipt(
        receipt_id=receipt_id,
        kind=ReceiptKind.purchase,
        order_id=order.order_id,
        refund_id=None,
        student_id=order.student_id,
        mentor_id=order.mentor_id,
        seller=terms.seller,
        buyer=Buyer(order.student_id),
        lines=tuple(lines),
        total=order.final_amount,
        currency=order.currency,
        tax=_tax(order.final_amount, terms),
        provider=order.provider,
        provider_ref=order.payment_ref,
        issued_at=issued_at,
    )


def refund_receipt(
    order: Order,
    *,
    receipt_id: UUID,
    refund_id: UUID,
    amount: int,
    provider_refund_id: str | None,
    terms: ReceiptTerms,
    issued_at: datetime,
) -> Receipt:
    """The credit note of one refund: the amount given back of the order's pack."""
    pack = order.pack
    line = ReceiptLine(
        f"Refund: {order.title}, pack of {pack.sessions_count} sessions with mentor"
        f" {order.mentor_id}",
        amount,
    )
    return Receipt(
        receipt_id=receipt_id,
        kind=ReceiptKind.refund,
        order_id=order.order_id,
        refund_id=refund_id,
        student_id=order.student_id,
        mentor_id=order.mentor_id,
        seller=terms.seller,
        buyer=Buyer(order.student_id),
        lines=(line,),
        total=amount,
        currency=order.currency,
        tax=_tax(amount, terms),
        provider=order.provider,
        provider_ref=provider_refund_id or order.payment_ref,
        issued_at=issued_at,
    )
