"""An order's status only moves forward; refunds never pass what was paid."""

import pytest

from payments.domain.errors import OrderNotRefundable, RefundExceedsPaid
from payments.domain.model import OrderStatus

from .builders import NOW
from .builders import an_order as order


def test_a_pending_order_is_paid_once():
    pending = order()

    assert pending.pay(NOW) is True
    assert pending.pay(NOW) is False
    assert (pending.status, pending.paid_at) == (OrderStatus.paid, NOW)


@pytest.mark.parametrize(
    "status",
    [OrderStatus.paid, OrderStatus.refunded, OrderStatus.failed, OrderStatus.expired],
)
def test_only_a_pending_order_ends_unpaid(status):
    settled = order(status)

    assert settled.end_unpaid(OrderStatus.expired) is False
    assert settled.status is status


def test_an_order_never_ends_unpaid_as_paid():
    assert order().end_unpaid(OrderStatus.paid) is False


def test_refunds_move_paid_to_partially_refunded_to_refunded():
    paid = order(OrderStatus.paid)

    first = paid.refund(10000)
    assert (paid.status, first.full) == (OrderStatus.partially_refunded, False)
    rest = paid.refund(30000)
    assert (paid.status, rest.full, paid.refunded_amount) == (OrderStatus.refunded, True, 40000)


def test_a_refund_beyond_what_is_left_is_refused():
    paid = order(OrderStatus.partially_refunded, refunded=30000)

    with pytest.raises(RefundExceedsPaid):
        paid.refund(10001)
    with pytest.raises(RefundExceedsPaid):
        paid.refund(0)
    assert paid.refunded_amount == 30000


def test_a_refund_before_the_payment_ends_the_order_refunded_unfulfilled():
    pending = order()

    effect = pending.refund(40000)

    assert (pending.status, effect.full, effect.before_payment) == (
        OrderStatus.refunded,
        True,
        True,
    )
    assert pending.pay(NOW) is False


def test_reserving_a_refund_needs_a_payment_and_room():
    with pytest.raises(OrderNotRefundable):
        order().reserve_refund(100)
    paid = order(OrderStatus.paid)
    paid.reserve_refund(40000)
    with pytest.raises(RefundExceedsPaid):
        paid.reserve_refund(1)
    assert paid.status is OrderStatus.paid  # moves only when the provider confirms


def test_confirmed_refunds_decide_partial_or_full():
    paid = order(OrderStatus.paid, refunded=40000)

    assert paid.confirm_refunds(15000) is False
    assert paid.status is OrderStatus.partially_refunded
    assert paid.confirm_refunds(40000) is True
    assert paid.status is OrderStatus.refunded


def test_a_redemption_comes_back_once_and_only_for_an_unfulfilled_order():
    expired = order(OrderStatus.expired, promo="SPRING")
    paid = order(OrderStatus.paid, promo="SPRING")
    refunded_first = order(promo="SPRING")
    refunded_first.refund(40000)

    assert expired.take_back_promo() is True
    assert expired.take_back_promo() is False
    assert paid.take_back_promo() is False
    assert refunded_first.take_back_promo() is True


def test_a_pending_order_can_expire_only_once_its_checkout_is_over():
    pending = order()

    assert pending.checkout_over(NOW) is False
    assert pending.checkout_over(pending.expires_at) is True
    assert order(OrderStatus.paid).checkout_over(pending.expires_at) is False
