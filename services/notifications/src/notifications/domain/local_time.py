"""Moments as a reader sees them: in their own time zone, with the zone named."""

from datetime import datetime
from zoneinfo import ZoneInfo


def in_zone(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone))


def format_local(moment: datetime, zone: str) -> str:
    """'Tuesday 6 January 2026, 18:00 JST (Asia/Tokyo)'."""
    local = in_zone(moment, zone)
    abbreviation = local.tzname() or ""
    named = f"{abbreviation} ({zone})" if abbreviation and abbreviation != zone else zone
    return f"{local:%A} {local.day} {local:%B %Y, %H:%M} {named}"
