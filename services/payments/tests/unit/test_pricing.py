"""What an order costs: grandfathered list prices, promo discounts and their refusals."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from payments.domain.errors import (
    CurrencyMismatch,
    DiscountTooLarge,
    PromoExpired,
    PromoNotApplicable,
)
from payments.domain.pricing import EarlierPrice, Promo, PromoKind, list_price
from payments.domain.refunds import pro_rata_amount

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PRODUCT = uuid.uuid4()


def promo(**fields) -> Promo:
    base = {
        "code": "SPRING",
        "kind": PromoKind.percent,
        "percent_off": 25,
        "amount_off": None,
        "currency": None,
        "expires_at": None,
        "product_id": None,
        "mentor_id": None,
    }
    return Promo(**{**base, **fields})


def discount(code: Promo, *, amount=40000, currency="USD", product=PRODUCT, mentor="m") -> int:
    return code.discount_on(
        amount=amount, currency=currency, product_id=product, mentor_id=mentor, now=NOW
    )


def test_a_percent_code_takes_its_share_rounded_down():
    assert discount(promo(percent_off=25)) == 10000
    assert discount(promo(percent_off=33), amount=999) == 329


def test_a_fixed_code_takes_its_amount_in_its_currency_only():
    fixed = promo(kind=PromoKind.fixed, percent_off=None, amount_off=5000, currency="USD")

    assert discount(fixed) == 5000
    with pytest.raises(CurrencyMismatch):
        discount(fixed, currency="EUR")


def test_a_code_never_makes_an_order_free():
    with pytest.raises(DiscountTooLarge):
        discount(promo(percent_off=100))
    fixed = promo(kind=PromoKind.fixed, percent_off=None, amount_off=40000, currency="USD")
    with pytest.raises(DiscountTooLarge):
        discount(fixed)


def test_an_expired_code_is_refused_from_its_expiry_on():
    with pytest.raises(PromoExpired):
        discount(promo(expires_at=NOW))
    assert discount(promo(expires_at=NOW + timedelta(seconds=1))) == 10000


def test_a_scoped_code_applies_to_its_product_or_mentor_only():
    with pytest.raises(PromoNotApplicable):
        discount(promo(product_id=uuid.uuid4()))
    with pytest.raises(PromoNotApplicable):
        discount(promo(mentor_id="other"))
    assert discount(promo(product_id=PRODUCT, mentor_id="m")) == 10000


def test_a_grandfathered_product_keeps_a_returning_students_price_in_the_same_currency():
    earlier = EarlierPrice(amount=30000, currency="USD")

    assert list_price(price=40000, currency="USD", grandfathered=True, earlier=earlier) == 30000
    assert list_price(price=40000, currency="EUR", grandfathered=True, earlier=earlier) == 40000
    assert list_price(price=40000, currency="USD", grandfathered=False, earlier=earlier) == 40000
    assert list_price(price=40000, currency="USD", grandfathered=True, earlier=None) == 40000


@pytest.mark.parametrize(("used", "share"), [(0, 40000), (1, 30000), (3, 10000), (4, 0), (5, 0)])
def test_a_pro_rata_refund_is_the_share_of_unused_sessions(used, share):
    assert pro_rata_amount(paid=40000, sessions_total=4, sessions_used=used) == share


def test_after_a_price_cut_a_returning_student_pays_the_lower_current_price():
    kept = EarlierPrice(amount=40000, currency="USD")

    assert list_price(price=25000, currency="USD", grandfathered=True, earlier=kept) == 25000
    assert list_price(price=40000, currency="USD", grandfathered=True, earlier=kept) == 40000
    assert list_price(price=50000, currency="USD", grandfathered=True, earlier=kept) == 40000
