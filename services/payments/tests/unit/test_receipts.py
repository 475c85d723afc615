"""Receipts on the fake unit of work: numbers, lines, discount, tax, one per payment or refund."""

import dataclasses
import uuid
from decimal import Decimal

from payments.config import Settings
from payments.domain.model import OrderStatus
from payments.domain.receipts import (
    ReceiptKind,
    ReceiptLine,
    ReceiptTerms,
    Seller,
    TaxRate,
    purchase_receipt,
    receipt_number,
)
from payments.domain.reports import OrderReference, RefundedTotalSeen
from payments.service_layer.provider_reports import apply_report
from shared.messaging.events import ReceiptIssued

from .builders import NOW, PRICE, an_order, captured, stored


async def applied(report, *, uow, deps, event_id="evt_1"):
    async with uow:
        outcome = await apply_report(
            report, provider=an_order().provider, event_id=event_id, uow=uow, deps=deps
        )
        await uow.commit()
    return outcome


def issued(uow) -> list[ReceiptIssued]:
    return [event for event in uow.events() if isinstance(event, ReceiptIssued)]


def test_a_receipt_number_names_its_series_and_year_and_never_loses_digits():
    assert receipt_number(ReceiptKind.purchase, year=2026, sequence=42) == "R-2026-000042"
    assert receipt_number(ReceiptKind.refund, year=2027, sequence=7) == "C-2027-000007"
    assert receipt_number(ReceiptKind.purchase, year=2026, sequence=1234567) == "R-2026-1234567"


async def test_a_paid_order_gets_one_receipt_with_its_pack_discount_and_provider_reference(
    uow, deps
):
    order = stored(uow, original_amount=PRICE + 5000, discount_amount=5000, promo="SPRING")

    await applied(captured(order), uow=uow, deps=deps)

    [receipt] = uow.receipts.of_order(order.order_id)
    assert (receipt.kind, receipt.number) == (ReceiptKind.purchase, "R-2026-000001")
    item, discount = receipt.lines
    assert item.amount == PRICE + 5000
    assert "pack of 5 sessions of 60 min with mentor m" in item.description
    assert discount == ReceiptLine("Discount (promo code SPRING)", -5000)
    assert sum(line.amount for line in receipt.lines) == receipt.total == PRICE
    assert (receipt.currency, receipt.provider_ref, receipt.buyer.student_id) == (
        "USD",
        "pi_1",
        "s",
    )
    assert receipt.tax is None  # no rate configured: no tax line
    assert receipt.seller == Seller("Mentorship")
    [event] = issued(uow)
    assert (event.receipt_id, event.number, event.kind, event.amount, event.issued_at) == (
        receipt.receipt_id,
        "R-2026-000001",
        "purchase",
        PRICE,
        NOW,
    )


async def test_an_order_without_a_promo_has_no_discount_line(uow, deps):
    order = stored(uow)

    await applied(captured(order), uow=uow, deps=deps)

    [receipt] = uow.receipts.of_order(order.order_id)
    assert [line.amount for line in receipt.lines] == [PRICE]


async def test_a_payment_reported_twice_gives_one_receipt_and_one_announcement(uow, deps):
    order = stored(uow)

    await applied(captured(order), uow=uow, deps=deps)
    await applied(captured(order), uow=uow, deps=deps, event_id="evt_2")

    assert len(uow.receipts.of_order(order.order_id)) == 1
    assert len(issued(uow)) == 1


async def test_receipts_of_two_orders_follow_each_other_in_their_series(uow, deps):
    first, second = stored(uow), stored(uow)

    await applied(captured(first), uow=uow, deps=deps)
    await applied(captured(second), uow=uow, deps=deps, event_id="evt_2")

    assert [event.number for event in issued(uow)] == ["R-2026-000001", "R-2026-000002"]


def test_a_configured_tax_is_included_in_the_total_and_shown_as_its_share():
    terms = ReceiptTerms(Seller("Acme GmbH", "Hauptstr. 1\n10115 Berlin", "DE123"), TaxRate(19))
    order = an_order(OrderStatus.paid, original_amount=11900, final_amount=11900)

    receipt = purchase_receipt(order, receipt_id=uuid.uuid4(), terms=terms, issued_at=NOW)

    assert receipt.tax is not None
    assert (receipt.tax.label, receipt.tax.percent, receipt.tax.inclusive) == (
        "VAT",
        Decimal(19),
        True,
    )
    assert receipt.tax.amount == 1900  # 11900 includes 10000 net + 19%
    assert receipt.total == 11900  # included: the total is what was paid
    assert receipt.seller.tax_id == "DE123"


def test_a_tax_share_rounds_half_up_to_the_minor_unit():
    assert TaxRate(Decimal("19")).included_in(1000) == 160  # 159.66
    assert TaxRate(Decimal("7")).included_in(107) == 7
    assert TaxRate(Decimal("20")).included_in(3) == 1  # 0.5 → 1


def test_the_seller_and_the_tax_come_from_the_settings():
    settings = Settings(
        dev_mode=True,
        seller_name="Acme GmbH",
        seller_address="Hauptstr. 1",
        seller_tax_id="DE123",
        tax_rate_percent=Decimal("19"),
    )

    assert settings.receipt_terms == ReceiptTerms(
        Seller("Acme GmbH", "Hauptstr. 1", "DE123"), TaxRate(Decimal("19"), "VAT")
    )
    assert Settings(dev_mode=True).receipt_terms.tax is None


async def test_a_refund_gets_a_credit_note_in_its_own_series_naming_the_purchase(uow, deps):
    deps = dataclasses.replace(deps, receipt_terms=ReceiptTerms(tax=TaxRate(Decimal(25))))
    order = stored(uow)
    await applied(captured(order), uow=uow, deps=deps)  # paid by intent pi_1
    by_charge = OrderReference(None, payment_ref="pi_1")

    await applied(
        RefundedTotalSeen(by_charge, refunded_total=10000), uow=uow, deps=deps, event_id="evt_2"
    )
    await applied(
        RefundedTotalSeen(by_charge, refunded_total=10000), uow=uow, deps=deps, event_id="evt_3"
    )

    [refund] = uow.receipts.of_order(order.order_id, ReceiptKind.refund)
    assert (refund.number, refund.refers_to, refund.total) == (
        "C-2026-000001",
        "R-2026-000001",
        10000,
    )
    assert refund.refund_id in uow.refunds.succeeded
    assert refund.tax is not None and refund.tax.amount == 2000  # 25% included in 10000
    assert refund.lines[0].description.startswith("Refund: Five sessions, pack of 5 sessions")
    assert [(e.kind, e.amount) for e in issued(uow)] == [("purchase", PRICE), ("refund", 10000)]
