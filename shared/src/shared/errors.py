"""The one error model: a refusal carries a stable `code` and a `kind`, and knows no HTTP.

The HTTP layer maps kinds to statuses in one place (`shared.http.errors`); a responder sends
the code in its error reply; a subscriber logs it.
"""

from collections.abc import Mapping
from enum import StrEnum
from typing import Any


class ErrorKind(StrEnum):
    """What sort of refusal it is; each maps to exactly one HTTP status."""

    invalid = "invalid"  # the input breaks a rule the caller could have checked
    not_found = "not_found"  # the thing named does not exist (or is not the caller's to see)
    conflict = "conflict"  # the current state forbids it (the default)
    forbidden = "forbidden"  # the caller may not do this
    unauthorized = "unauthorized"  # the caller is not known (no or bad credentials)
    unavailable = "unavailable"  # something this depends on did not answer; try again later


class DomainError(Exception):
    """A rule said no. `code` is stable and documented; `kind` decides the HTTP status."""

    code: str = "DOMAIN_ERROR"
    kind: ErrorKind = ErrorKind.conflict

    def __init__(
        self,
        detail: str = "",
        *,
        code: str | None = None,
        kind: ErrorKind | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        """`extra`: machine-readable members of the problem (RFC 9457 extensions)."""
        super().__init__(detail or code or self.code)
        self.detail = detail
        self.extra = dict(extra or {})
        if code is not None:
            self.code = code
        if kind is not None:
            self.kind = kind


class NotFound(DomainError):
    code = "NOT_FOUND"
    kind = ErrorKind.not_found


class Conflict(DomainError):
    code = "CONFLICT"
    kind = ErrorKind.conflict


class NotConfigured(Conflict):
    """This deployment is not configured for the feature (no credentials, no secret): 409,
    never a 503 with `Retry-After`, since retrying cannot help until an operator configures
    it. Each feature names itself in a stable `<FEATURE>_NOT_CONFIGURED` code."""

    code = "NOT_CONFIGURED"


class Forbidden(DomainError):
    code = "FORBIDDEN"
    kind = ErrorKind.forbidden


class InvalidInput(DomainError):
    code = "INVALID_INPUT"
    kind = ErrorKind.invalid


class Unavailable(DomainError):
    code = "UNAVAILABLE"
    kind = ErrorKind.unavailable
