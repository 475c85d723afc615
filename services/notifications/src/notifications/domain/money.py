"""Amounts as a reader sees them: minor units in the currency's digits, in their locale."""

from decimal import Decimal

from babel import Locale
from babel.numbers import format_currency, get_currency_precision

from notifications.domain.locales import ENGLISH


def format_amount(minor_units: int, currency: str, locale: Locale = ENGLISH) -> str:
    """12345 EUR → '€123.45' (en), '123,45 €' (de); 1234 JPY → '¥1,234' (no minor unit)."""
    major = Decimal(minor_units).scaleb(-get_currency_precision(currency))
    return format_currency(major, currency, locale=locale)
