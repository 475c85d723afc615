"""The one error model: domain refusals carry a stable code, mapped to HTTP or replies."""


class DomainError(Exception):
    """A rule said no. `code` is stable and documented; `status` is the HTTP mapping."""

    code: str = "DOMAIN_ERROR"
    status: int = 409

    def __init__(self, detail: str = "", *, code: str | None = None, status: int | None = None):
        super().__init__(detail or code or self.code)
        self.detail = detail
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status


class NotFound(DomainError):
    code = "NOT_FOUND"
    status = 404


class Forbidden(DomainError):
    code = "FORBIDDEN"
    status = 403


class InvalidInput(DomainError):
    code = "INVALID_INPUT"
    status = 422
