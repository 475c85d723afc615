"""The dev clock's operator endpoint: read it, move it for the whole suite, reset it."""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from shared.auth import Admin
from shared.clock import InvalidDuration, format_offset, parse_duration
from shared.errors import DomainError, ErrorKind
from shared.messaging.dev_clock import ClockReading, DevClockSync, OffsetOutOfRange


class DevClockDisabled(DomainError):
    code = "DEV_CLOCK_DISABLED"
    kind = ErrorKind.forbidden


class InvalidClockChange(DomainError):
    code = "INVALID_CLOCK_CHANGE"
    kind = ErrorKind.invalid


class InvalidDurationError(DomainError):
    code = "INVALID_DURATION"
    kind = ErrorKind.invalid


class InvalidMoment(DomainError):
    code = "INVALID_MOMENT"
    kind = ErrorKind.invalid


class ClockOffsetOutOfRange(DomainError):
    code = "CLOCK_OFFSET_OUT_OF_RANGE"
    kind = ErrorKind.invalid


class ClockRead(BaseModel):
    offset_seconds: float = Field(description="how far the suite's clock is from real time")
    offset: str = Field(description="the same, spelled like the log field: +71h, -30m, 0")
    now: datetime = Field(description="what every rule of the suite takes as now")
    real_now: datetime
    revision: int = Field(
        description="the shared key's revision this service applies (0: never moved); "
        "once a service reports a revision, its due jobs have started at that time"
    )


class ClockChange(BaseModel):
    """Exactly one of `advance`, `set` or `reset`."""

    model_config = ConfigDict(extra="forbid")

    advance: str | None = Field(
        default=None, max_length=40, description="30m, 71h, 2d, 1h30m; -2h moves back"
    )
    set: str | None = Field(
        default=None, max_length=40, description="ISO-8601 with an offset: 2026-12-10T09:00:00Z"
    )
    reset: bool | None = Field(default=None, description="true: back to real time")


DISABLED: dict[int | str, dict[str, Any]] = {
    403: {"description": "DEV_CLOCK_DISABLED: the dev clock runs in dev mode only"}
}
INVALID: dict[int | str, dict[str, Any]] = {
    422: {
        "description": "INVALID_CLOCK_CHANGE (not exactly one of advance/set/reset), "
        "INVALID_DURATION, INVALID_MOMENT, CLOCK_OFFSET_OUT_OF_RANGE or VALIDATION_FAILED"
    }
}


def clock_read(reading: ClockReading) -> ClockRead:
    return ClockRead(
        offset_seconds=reading.offset.total_seconds(),
        offset=format_offset(reading.offset),
        now=reading.now,
        real_now=reading.real_now,
        revision=reading.revision,
    )


def _dev_clock(request: Request) -> DevClockSync:
    dev_clock: DevClockSync | None = request.app.state.runtime.dev_clock
    if dev_clock is None:
        raise DevClockDisabled(
            "this service runs on real time (dev mode off) or on a clock its test injected"
        )
    return dev_clock


def _change(body: ClockChange, *, real_now: datetime) -> Callable[[timedelta], timedelta]:
    """What the body asks of the current offset; a refusal says what is wrong with it."""
    chosen = [name for name in ("advance", "set", "reset") if getattr(body, name) is not None]
    if len(chosen) != 1 or body.reset is False:
        raise InvalidClockChange(
            'send exactly one of {"advance": "71h"}, {"set": "<ISO-8601>"}, {"reset": true}'
        )
    if body.advance is not None:
        try:
            delta = parse_duration(body.advance)
        except InvalidDuration as exc:
            raise InvalidDurationError(str(exc)) from exc
        return lambda current: current + delta
    target = timedelta(0)
    if body.set is not None:
        try:
            moment = datetime.fromisoformat(body.set)
        except ValueError as exc:
            raise InvalidMoment(f"{body.set!r} is not an ISO-8601 date and time") from exc
        if moment.utcoffset() is None:
            raise InvalidMoment(f"{body.set!r} has no UTC offset (add Z or +01:00)")
        target = moment - real_now
    return lambda _current: target


def admin_clock_router() -> APIRouter:
    router = APIRouter(prefix="/clock")

    @router.get("", response_model=ClockRead, responses=DISABLED)
    async def read_clock(request: Request, _: Admin) -> ClockRead:
        """The suite's clock as this service applies it."""
        return clock_read(_dev_clock(request).reading())

    @router.put("", response_model=ClockRead, responses={**DISABLED, **INVALID})
    async def move_clock(request: Request, body: ClockChange, _: Admin) -> ClockRead:
        """Move the clock of every service of the deployment (one shared offset)."""
        dev_clock = _dev_clock(request)
        change = _change(body, real_now=dev_clock.reading().real_now)
        try:
            return clock_read(await dev_clock.move(change))
        except OffsetOutOfRange as exc:
            raise ClockOffsetOutOfRange(str(exc)) from exc

    return router
