"""Field types the HTTP models of several services share."""

from functools import cache
from typing import Annotated
from zoneinfo import available_timezones

from pydantic import AfterValidator


@cache
def _iana_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _iana_timezone(value: str) -> str:
    if value not in _iana_zones():
        raise ValueError(f"{value!r} is not an IANA time zone (for example 'Europe/Paris')")
    return value


IanaTimezone = Annotated[str, AfterValidator(_iana_timezone)]
"""An IANA time zone name, checked against the zoneinfo database."""
