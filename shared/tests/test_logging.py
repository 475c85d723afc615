"""Log lines a person can read in dev and a machine can parse elsewhere."""

import json
import logging
import re

import pytest

from shared.logging import LogFormat, configure, get_logger
from shared.messaging import observe

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(autouse=True)
def restore_logging():
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers, root.level = handlers, level


def test_dev_mode_renders_colored_human_lines_even_on_a_pipe(capsys) -> None:
    configure(log_format=LogFormat.auto, dev_mode=True)
    get_logger("t").info("seat.held", seat_id="s1")
    err = capsys.readouterr().err
    assert ANSI.search(err), err
    plain = ANSI.sub("", err)
    assert "seat.held" in plain and "seat_id=s1" in plain and not plain.lstrip().startswith("{")


def test_outside_dev_mode_lines_are_json_and_the_flag_forces_json_in_dev(capsys) -> None:
    for log_format, dev_mode in ((LogFormat.auto, False), (LogFormat.json, True)):
        configure(log_format=log_format, dev_mode=dev_mode)
        get_logger("t").info("seat.held", seat_id="s1")
        line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
        assert (line["event"], line["seat_id"], line["level"]) == ("seat.held", "s1", "info")


def test_uvicorn_lines_go_through_the_same_renderer(capsys) -> None:
    logging.getLogger("uvicorn.error").addHandler(logging.StreamHandler())
    logging.getLogger("uvicorn.error").setLevel(logging.WARNING)  # as uvicorn --log-level does
    configure(log_format=LogFormat.json)
    logging.getLogger("uvicorn.error").info("Started server process [%d]", 42)
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert json.loads(line)["event"] == "Started server process [42]"


def test_an_applied_event_logs_one_line_with_consumer_type_ids_and_duration(capsys) -> None:
    configure(log_format=LogFormat.json)
    observe.event_handled(
        consumer="packs-fulfil",
        event_type="payment.succeeded",
        event_id="e1",
        correlation_id="c1",
        seconds=0.0123,
        first_time=True,
    )
    observe.event_published(subject="pack.purchased", event_id="e2", correlation_id="c1")
    applied, published = (json.loads(x) for x in capsys.readouterr().err.strip().splitlines())
    assert applied | {"timestamp": None} == {
        "event": "event.applied",
        "consumer": "packs-fulfil",
        "event_type": "payment.succeeded",
        "event_id": "e1",
        "correlation_id": "c1",
        "duration_ms": 12.3,
        "level": "info",
        "logger": "shared.messaging",
        "timestamp": None,
    }
    assert (published["event"], published["event_type"], published["correlation_id"]) == (
        "event.published",
        "pack.purchased",
        "c1",
    )
