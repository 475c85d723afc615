"""Failures of consumers: which are the infrastructure's, how fast to retry them, and how they
read where they are logged or stored (printable, bounded, no input echoed)."""

import re
import traceback
from dataclasses import dataclass

import asyncpg
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

MAX_ERROR_CHARS = 1_000
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def printable(text: str, *, limit: int = MAX_ERROR_CHARS) -> str:
    """`text` without control characters or lone surrogates, cut to `limit` characters."""
    cleaned = _UNPRINTABLE.sub("\N{REPLACEMENT CHARACTER}", text)
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def describe_error(exc: BaseException, *, limit: int = MAX_ERROR_CHARS) -> str:
    """The error's class and message; a validation error lists fields, never their values,
    and a database error gives its SQLSTATE and statement, never the driver's message (which
    quotes the offending parameter)."""
    if isinstance(exc, DBAPIError):
        orig = exc.orig
        statement = " ".join((exc.statement or "").split())[:300]
        return printable(
            f"{type(exc).__name__} ({type(orig).__name__}, sqlstate "
            f"{_sqlstate(exc) or 'none'}) in: {statement}",
            limit=limit,
        )
    if isinstance(exc, asyncpg.PostgresError):
        return printable(f"{type(exc).__name__} (sqlstate {exc.sqlstate})", limit=limit)
    if isinstance(exc, ValidationError):
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or '(root)'}: {error['msg']}"
            for error in exc.errors(include_input=False, include_url=False, include_context=False)
        )
        return printable(f"ValidationError: {problems}", limit=limit)
    return printable(f"{type(exc).__name__}: {exc}", limit=limit)


@dataclass(frozen=True)
class RetryPolicy:
    """Handler failures back off along `backoff_seconds` and dead-letter at `max_attempts`;
    infrastructure failures (and a dead letter that cannot be stored) never dead-letter and
    back off along the shorter `outage_backoff_seconds`, so that work resumes within its last
    step of the database coming back."""

    max_attempts: int = 5
    backoff_seconds: tuple[float, ...] = (1.0, 5.0, 30.0, 120.0)
    outage_backoff_seconds: tuple[float, ...] = (0.5, 1.0, 2.0, 3.0)

    def delay_after(self, attempt: int) -> float:
        return _step(self.backoff_seconds, attempt)

    def outage_delay_after(self, attempt: int) -> float:
        return _step(self.outage_backoff_seconds, attempt)


def _step(steps: tuple[float, ...], attempt: int) -> float:
    return steps[max(1, min(attempt, len(steps))) - 1]


def is_infrastructure_failure(exc: BaseException) -> bool:
    """Database unreachable or restarting, connection lost or pool exhausted, deadlock or
    serialization failure: not the input's fault, worth retrying once the database answers."""
    if isinstance(exc, OSError | TimeoutError | OperationalError | InterfaceError | PoolTimeout):
        return True
    if isinstance(exc, asyncpg.exceptions.PostgresConnectionError | asyncpg.InterfaceError):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    sqlstate = _sqlstate(exc)
    return sqlstate is not None and (sqlstate in TRANSIENT_SQLSTATES or sqlstate.startswith("08"))


def is_conflict(exc: BaseException) -> bool:
    """A deadlock or serialization failure: the transaction lost a race with another one."""
    return _sqlstate(exc) in CONFLICT_SQLSTATES


CONFLICT_SQLSTATES = {"40001", "40P01"}  # serialization failure, deadlock detected

TRANSIENT_SQLSTATES = {
    "40001",  # serialization failure
    "40P01",  # deadlock detected
    "53300",  # too many connections
    "57P01",  # admin shutdown
    "57P02",  # crash shutdown
    "57P03",  # cannot connect now (starting up)
}


def _sqlstate(exc: BaseException) -> str | None:
    value = getattr(getattr(exc, "orig", None), "sqlstate", None) or getattr(exc, "sqlstate", None)
    return value if isinstance(value, str) else None


def where_it_failed(exc: BaseException, *, frames: int = 12) -> list[str]:
    """The traceback's last frames as `file:line in function`, without any message or value."""
    summary = traceback.extract_tb(exc.__traceback__)[-frames:]
    return [f"{frame.filename}:{frame.lineno} in {frame.name}" for frame in summary]


def describe_unexpected(exc: BaseException) -> str:
    """For logs of unexpected errors: a database error's safe description, else the class
    alone (its message may quote personal data; `where_it_failed` locates it)."""
    if isinstance(exc, DBAPIError | asyncpg.PostgresError):
        return describe_error(exc, limit=300)
    return f"{type(exc).__module__}.{type(exc).__qualname__}"
