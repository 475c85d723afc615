"""Availability's answer is built without a model per slot, byte for byte the documented one."""

import dataclasses
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from booking.entrypoints.schemas import (
    AVAILABILITY_JSON,
    AvailabilityJson,
    AvailabilityRead,
    SlotJson,
    SlotRead,
)

INSTANTS = [
    datetime(2026, 3, 1, 8, 0, tzinfo=UTC),
    datetime(2026, 3, 8, 6, 30, 15, 500000, tzinfo=UTC),  # seconds and a fraction
    datetime(2026, 3, 29, 1, 0, 0, 1, tzinfo=UTC),
]
ZONES = [
    UTC,
    ZoneInfo("Europe/Berlin"),
    ZoneInfo("Asia/Kolkata"),  # +05:30
    ZoneInfo("America/St_Johns"),  # -03:30 / -02:30
    ZoneInfo("Asia/Kathmandu"),  # +05:45
    timezone(timedelta(hours=-3, minutes=-30)),
]


def test_the_answer_has_the_documented_fields_in_their_order():
    assert [f.name for f in dataclasses.fields(AvailabilityJson)] == list(
        AvailabilityRead.model_fields
    )
    assert [f.name for f in dataclasses.fields(SlotJson)] == list(SlotRead.model_fields)


@pytest.mark.parametrize("zone", ZONES, ids=str)
@pytest.mark.parametrize("status", ["not_connected", "ok", "unavailable"])
def test_the_answer_is_byte_for_byte_what_the_documented_model_serializes(zone, status):
    slots = [
        SlotJson(at, at + timedelta(minutes=45), at.astimezone(zone), at.astimezone(zone))
        for at in INSTANTS
    ]
    answer = AvailabilityJson(
        mentor_id="mentor-ü-1",
        mentor_timezone="America/New_York",
        timezone=str(zone),
        duration_minutes=45,
        calendar_status=status,
        slots=slots,
    )
    documented = AvailabilityRead(
        **{**dataclasses.asdict(answer), "slots": [dataclasses.asdict(s) for s in slots]}
    )

    assert AVAILABILITY_JSON.dump_json(answer) == documented.model_dump_json().encode()


def test_no_slot_is_an_empty_list_not_a_missing_field():
    answer = AvailabilityJson("m", "UTC", "UTC", 60, "unavailable", [])

    assert AVAILABILITY_JSON.dump_json(answer) == (
        b'{"mentor_id":"m","mentor_timezone":"UTC","timezone":"UTC","duration_minutes":60,'
        b'"calendar_status":"unavailable","slots":[]}'
    )
