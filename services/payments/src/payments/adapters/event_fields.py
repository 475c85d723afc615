"""Reading a signed provider event: its fields are checked before any of them is used or stored.

A signature proves who sent an event, not that its shape is usable: a field of the wrong
type, or a provider id holding a NUL or a control character (Postgres refuses NUL in text),
raises `MalformedEvent`, and the event ends once as a dead letter instead of failing again on
every sweep.
"""

import json
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from payments.domain.payment_check import ReportedPayment
from payments.domain.reports import ProviderReport, UnusableEvent
from shared.types import ISO_4217_CODES

PROVIDER_REF = re.compile(r"^[A-Za-z0-9_.:-]{1,255}$")
WORD = re.compile(r"^[A-Za-z0-9_.-]{1,50}$")
_CURRENCIES = frozenset(ISO_4217_CODES)
MAX_MINOR = 10**12


class MalformedEvent(Exception):
    """The event can never be applied; the message says which field is wrong."""


def read_report(body: bytes, report: Callable[[dict[str, Any]], ProviderReport]) -> ProviderReport:
    """`report(event)` of a stored event (verified as a JSON object when it was stored); an
    `UnusableEvent` if one of its fields is malformed."""
    try:
        return report(json.loads(body))
    except MalformedEvent as exc:
        return UnusableEvent(str(exc))


def mapping(value: object, *, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise MalformedEvent(f"{name} is not an object")
    return value


def optional_mapping(value: object, *, name: str) -> dict[str, Any]:
    return {} if value is None else mapping(value, name=name)


def provider_ref(value: object, *, name: str) -> str | None:
    """A provider's id (`pi_…`, a capture id) that may be stored, or None if absent."""
    if value is None:
        return None
    if not isinstance(value, str) or not PROVIDER_REF.fullmatch(value):
        raise MalformedEvent(f"{name} is not a provider id")
    return value


def word(value: object, *, name: str) -> str | None:
    """A short status word (`paid`, `unpaid`), or None if absent."""
    if value is None:
        return None
    if not isinstance(value, str) or not WORD.fullmatch(value):
        raise MalformedEvent(f"{name} is not a status word")
    return value


def first_uuid(*values: object) -> UUID | None:
    """The first value that is a UUID string (our order or refund id); None if none is."""
    for value in values:
        if isinstance(value, str):
            try:
                return UUID(value)
            except ValueError:
                continue
    return None


def decimal_value(value: object) -> Decimal | None:
    """A provider's decimal amount ("12.34"), finite; None for anything else."""
    try:
        amount = Decimal(str(value))
    except (TypeError, ValueError, InvalidOperation):
        return None
    return amount if amount.is_finite() else None


def stripe_payment(obj: dict[str, Any]) -> ReportedPayment:
    """`amount_total` (minor units) and `currency` of a Checkout Session."""
    amount = obj.get("amount_total")
    currency = obj.get("currency")
    return ReportedPayment(amount=_minor(amount), currency=_currency(currency))


def paypal_payment(resource: dict[str, Any], *, to_minor: Any) -> ReportedPayment:
    """`amount.value` / `amount.currency_code` of a capture; `to_minor(value, currency)`."""
    amount = resource.get("amount")
    if not isinstance(amount, dict):
        return ReportedPayment(amount=None, currency=None)
    currency = _currency(amount.get("currency_code"))
    try:
        minor = to_minor(str(amount["value"]), currency or "") if currency else None
    except (KeyError, TypeError, ArithmeticError, ValueError):
        minor = None
    return ReportedPayment(amount=_minor(minor), currency=currency)


def _minor(value: object) -> int | None:
    """An amount in minor units within what an order can hold; None for anything else."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_MINOR:
        return value
    return None


def _currency(value: object) -> str | None:
    if isinstance(value, str) and value.upper() in _CURRENCIES:
        return value.upper()
    return None
