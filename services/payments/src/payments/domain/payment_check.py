"""A provider's report of a payment is believed only if it is the order's amount and currency."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ReportedPayment:
    """What the provider says was paid; None where its event said nothing usable."""

    amount: int | None
    currency: str | None


@dataclass(frozen=True)
class PaymentMismatch:
    expected_amount: int
    expected_currency: str
    reported: ReportedPayment


def mismatch_of(reported: ReportedPayment, *, amount: int, currency: str) -> PaymentMismatch | None:
    """None if the report is exactly the order's price; the mismatch otherwise."""
    if reported.amount == amount and (reported.currency or "").upper() == currency.upper():
        return None
    return PaymentMismatch(expected_amount=amount, expected_currency=currency, reported=reported)
