"""One logging setup: structlog, JSON by default, colored lines in dev, context ids bound."""

import logging
import random
import sys
from enum import StrEnum
from typing import Any

import structlog
from structlog.contextvars import bind_contextvars, bound_contextvars, clear_contextvars
from structlog.dev import RichTracebackFormatter

__all__ = [
    "LogFormat",
    "bind_contextvars",
    "bound_contextvars",
    "clear_contextvars",
    "configure",
    "get_logger",
    "log_access",
    "set_clock_offset",
]

# The dev clock's offset as it is spelled on every log line (`clock_offset="+71h"`); None at 0.
_clock_offset: str | None = None


# The share of HTTP requests that get an access line (`log_access`); set by `configure`.
_access_sample_rate = 0.0
ACCESS_LOGGER = "shared.http.access"
_access_stdlib = logging.getLogger(ACCESS_LOGGER)


def set_clock_offset(label: str | None) -> None:
    """Called by the dev clock when it moves; a process has one clock, so one label."""
    global _clock_offset
    _clock_offset = label


def add_clock_offset(_: Any, __: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    """A structlog processor: says on every line that the dev clock is not real time."""
    if _clock_offset is not None:
        event_dict["clock_offset"] = _clock_offset
    return event_dict


class LogFormat(StrEnum):
    """How log lines are rendered (`<SERVICE>_LOG_FORMAT`)."""

    auto = "auto"  # colored lines in dev mode or on a terminal, JSON otherwise
    json = "json"
    console = "console"


def renders_json(log_format: LogFormat, *, dev_mode: bool) -> bool:
    """Whether `auto` and the explicit formats end up as JSON lines."""
    if log_format is LogFormat.auto:
        return not (dev_mode or sys.stderr.isatty())
    return log_format is LogFormat.json


def configure(
    *,
    level: str = "INFO",
    log_format: LogFormat = LogFormat.auto,
    dev_mode: bool = False,
    json: bool | None = None,
    access_log_sample_rate: float | None = None,
) -> None:
    """Route structlog and stdlib logging (FastStream, uvicorn) through one renderer; an
    access line for every HTTP request in dev mode, for none outside it, unless
    `access_log_sample_rate` (0 to 1) says which share gets one."""
    global _access_sample_rate
    _access_sample_rate = (
        (1.0 if dev_mode else 0.0) if access_log_sample_rate is None else access_log_sample_rate
    )
    as_json = renders_json(log_format, dev_mode=dev_mode) if json is None else json
    shared_processors: list[Any] = [
        structlog.contextvars.merge_contextvars,
        add_clock_offset,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer: Any
    if as_json:
        renderer = structlog.processors.JSONRenderer()
        exc_processors: list[Any] = [structlog.processors.format_exc_info]
    else:
        # Colors forced: in dev the output goes through the supervisor's pipe, which turns
        # the escape codes back into styles for the real terminal (or drops them).
        renderer = structlog.dev.ConsoleRenderer(
            colors=True,
            force_colors=True,
            pad_event_to=24,
            exception_formatter=RichTracebackFormatter(show_locals=False, width=110),
        )
        exc_processors = []
    structlog.configure(
        processors=[*shared_processors, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared_processors,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            *exc_processors,
            renderer,
        ],
    )
    # No renderer shows thread or process fields: skip collecting them for every record
    # (about 8 % of a line's cost, bench/log_lines.py).
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    handler = logging.StreamHandler()
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level.upper())
    # Readiness probes read the migration state; alembic would log two lines per probe.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # uvicorn installs its own handlers (and levels) before the app starts: send its lines
    # through ours, at the service's one level.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers = []
        logger.propagate = True
        logger.setLevel(logging.NOTSET)


def get_logger(name: str | None = None) -> structlog.stdlib.BoundLogger:
    return structlog.stdlib.get_logger(name)


_access_log = get_logger(ACCESS_LOGGER)


def log_access(*, method: str, path: str, route: str, status: int, seconds: float) -> None:
    """One `http.request` line for the configured share of requests (decision 0024); the
    query string is left out (it may carry a code or a token). Costs a comparison when off."""
    rate = _access_sample_rate
    if rate <= 0.0 or (rate < 1.0 and random.random() >= rate):
        return
    if not _access_stdlib.isEnabledFor(logging.INFO):
        return  # a level above INFO: skip the processors too
    _access_log.info(
        "http.request",
        method=method,
        path=path,
        route=route,
        status=status,
        duration_ms=round(seconds * 1000, 1),
    )
