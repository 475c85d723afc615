"""The dev clock's pieces without servers: durations, offsets, the log field, the KV value."""

import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from shared.clock import (
    FakeClock,
    InvalidDuration,
    OffsetClock,
    SystemClock,
    format_offset,
    parse_duration,
)
from shared.logging import configure, get_logger, set_clock_offset
from shared.messaging.dev_clock import bucket_name, decode, encode
from shared.runtime import build_runtime
from shared.settings import ServiceSettings


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30m", timedelta(minutes=30)),
        ("71h", timedelta(hours=71)),
        ("2d", timedelta(days=2)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("45s", timedelta(seconds=45)),
        ("+1d2h3m4s", timedelta(days=1, hours=2, minutes=3, seconds=4)),
        ("-2h", timedelta(hours=-2)),
        (" 10M ", timedelta(minutes=10)),
    ],
)
def test_durations_read_like_people_write_them(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    "text", ["", "h", "71", "1.5h", "30m1h", "1w", "-", "71 h", "3651d", "9" * 41 + "s"]
)
def test_anything_else_is_not_a_duration(text: str) -> None:
    with pytest.raises(InvalidDuration):
        parse_duration(text)


@pytest.mark.parametrize(
    ("offset", "label"),
    [
        (timedelta(0), "0"),
        (timedelta(hours=71), "+71h"),
        (timedelta(hours=-1, minutes=-30), "-1h30m"),
        (timedelta(days=30), "+720h"),
        (timedelta(seconds=90.4), "+1m30s"),
    ],
)
def test_an_offset_is_spelled_so_that_it_reads_back(offset: timedelta, label: str) -> None:
    assert format_offset(offset) == label
    if label != "0":
        assert parse_duration(label) == timedelta(seconds=round(offset.total_seconds()))


def test_the_offset_clock_is_real_time_plus_its_offset() -> None:
    clock = OffsetClock()
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=1)
    clock.offset = timedelta(hours=71)
    assert abs(clock.now() - datetime.now(UTC) - timedelta(hours=71)) < timedelta(seconds=1)


def test_the_kv_value_is_a_number_of_seconds_and_nothing_else_is_taken() -> None:
    assert decode(encode(timedelta(hours=-3))) == timedelta(hours=-3)
    assert decode(b"") == timedelta(0)  # a deleted key: real time
    for bad in (b"nan", b"inf", b"71h", b"1e12"):
        with pytest.raises(ValueError):
            decode(bad)


def test_the_bucket_is_namespaced_like_the_stream() -> None:
    assert bucket_name("") == "DEV_CLOCK"
    assert bucket_name("t1") == "T1_DEV_CLOCK"


def _settings(**overrides: object) -> ServiceSettings:
    return ServiceSettings(jwt_public_key="-----BEGIN PUBLIC KEY-----", **overrides)  # type: ignore[arg-type]


def test_outside_dev_mode_the_clock_is_real_time_with_no_shared_offset() -> None:
    runtime = build_runtime(_settings(dev_mode=False), alembic_ini=Path("alembic.ini"))
    assert isinstance(runtime.clock, SystemClock) and runtime.dev_clock is None


def test_in_dev_mode_the_clock_follows_the_shared_offset_unless_a_test_injects_one() -> None:
    runtime = build_runtime(_settings(dev_mode=True), alembic_ini=Path("alembic.ini"))
    assert isinstance(runtime.clock, OffsetClock) and runtime.dev_clock is not None
    assert runtime.dev_clock.clock is runtime.clock and runtime.bus.outbox.clock is runtime.clock
    fake = FakeClock()
    injected = build_runtime(_settings(dev_mode=True), alembic_ini=Path("a.ini"), clock=fake)
    assert injected.clock is fake and injected.dev_clock is None


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers, root.level = handlers, level
    set_clock_offset(None)


def test_every_log_line_names_the_offset_while_it_is_not_zero(capsys, restore_logging) -> None:
    configure(json=True)
    log = get_logger("t")
    log.info("before")
    set_clock_offset("+71h")
    log.info("during")
    logging.getLogger("uvicorn.access").info("a stdlib line")
    set_clock_offset(None)
    log.info("after")
    lines = [json.loads(line) for line in capsys.readouterr().err.strip().splitlines()]
    assert [line.get("clock_offset") for line in lines] == [None, "+71h", "+71h", None]
