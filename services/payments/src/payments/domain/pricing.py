"""What an order costs: the product's price (or the student's grandfathered one) less a promo."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from payments.domain.errors import (
    CurrencyMismatch,
    DiscountTooLarge,
    PromoExpired,
    PromoNotApplicable,
)


class PromoKind(StrEnum):
    percent = "percent"
    fixed = "fixed"


@dataclass(frozen=True)
class Promo:
    code: str
    kind: PromoKind
    percent_off: int | None
    amount_off: int | None
    currency: str | None
    expires_at: datetime | None
    product_id: UUID | None
    mentor_id: str | None

    def discount_on(
        self, *, amount: int, currency: str, product_id: UUID, mentor_id: str, now: datetime
    ) -> int:
        """The discount in minor units, or the reason this code does not apply."""
        if self.expires_at is not None and now >= self.expires_at:
            raise PromoExpired(f"promo code {self.code} expired at {self.expires_at.isoformat()}")
        if self.product_id is not None and self.product_id != product_id:
            raise PromoNotApplicable(f"promo code {self.code} is for another product")
        if self.mentor_id is not None and self.mentor_id != mentor_id:
            raise PromoNotApplicable(f"promo code {self.code} is for another mentor")
        if self.kind is PromoKind.percent:
            assert self.percent_off is not None
            discount = amount * self.percent_off // 100
        else:
            assert self.amount_off is not None
            if self.currency != currency:
                raise CurrencyMismatch(
                    f"promo code {self.code} is in {self.currency}, the product in {currency}"
                )
            discount = self.amount_off
        if discount >= amount:
            raise DiscountTooLarge(f"promo code {self.code} would make the order free")
        return discount


@dataclass(frozen=True)
class Price:
    original: int
    discount: int
    currency: str
    promo_code: str | None

    @property
    def final(self) -> int:
        return self.original - self.discount


@dataclass(frozen=True)
class EarlierPrice:
    amount: int
    currency: str


def list_price(
    *, price: int, currency: str, grandfathered: bool, earlier: EarlierPrice | None
) -> int:
    """A grandfathered product keeps a returning student's earlier price (if still in the
    product's currency) as a ceiling: after a price cut they pay the lower current price."""
    if grandfathered and earlier is not None and earlier.currency == currency:
        return min(earlier.amount, price)
    return price
