"""Moments and lead times as a reader sees them: in their own zone and locale, the zone named."""

from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time, format_timedelta, get_timezone_name

from notifications.domain.locales import ENGLISH

# Plain `en` keeps the form every mail had (day month year, 24-hour clock), which reads the
# same on both sides of the Atlantic; `en-US`, `en-GB`, `de` … use their CLDR full date and
# short time (`Monday, March 2, 2026, 10:00 AM`, `Montag, 2. März 2026, 10:00`).
HOUSE_ENGLISH = ("EEEE d MMMM y", "HH:mm")


def in_zone(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone))


def format_local(moment: datetime, zone: str, locale: Locale = ENGLISH) -> str:
    """'Tuesday 6 January 2026, 18:00 JST (Asia/Tokyo)', 'Dienstag, 6. Januar 2026, 10:00 MEZ
    (Europe/Berlin)'."""
    local = in_zone(moment, zone)
    date_format, time_format = HOUSE_ENGLISH if locale == ENGLISH else ("full", "short")
    date = format_date(local, date_format, locale=locale)
    time = format_time(local, time_format, locale=locale)
    shown = str(locale.datetime_formats["medium"]).format(time, date)
    abbreviation = _abbreviation(local, locale)
    named = f"{abbreviation} ({zone})" if abbreviation and abbreviation != zone else zone
    return f"{shown} {named}"


def _abbreviation(local: datetime, locale: Locale) -> str:
    """The locale's own short name of the zone where CLDR has one (MEZ, EST), else the zone
    database's (JST, IST, -03): never an offset spelled out or a long name."""
    name = get_timezone_name(local, "short", locale=locale)
    return name if name.isalpha() else local.tzname() or ""


def format_lead_time(minutes: int, locale: Locale = ENGLISH) -> str:
    """How long before the start, with its preposition: 'in 24 hours', 'in 2 Tagen'.

    A whole number of days reads in days (one day as 24 hours), of hours in hours, else in
    minutes — never rounded: 90 minutes stay 90 minutes.
    """
    day, hour = 24 * 60, 60
    unit: Literal["day", "hour", "minute"]
    if minutes % day == 0 and minutes > day:
        value, unit = minutes // day, "day"
    elif minutes % hour == 0:
        value, unit = minutes // hour, "hour"
    else:
        value, unit = minutes, "minute"
    # The threshold makes Babel keep the chosen unit: every larger one counts below `value`.
    return format_timedelta(
        timedelta(minutes=minutes),
        threshold=value,
        granularity=unit,
        add_direction=True,
        locale=locale,
    )
