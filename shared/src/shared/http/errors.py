"""The one mapping from a refusal's kind to its HTTP status."""

from types import MappingProxyType

from shared.errors import DomainError, ErrorKind

STATUS_BY_KIND = MappingProxyType(
    {
        ErrorKind.invalid: 422,
        ErrorKind.not_found: 404,
        ErrorKind.conflict: 409,
        ErrorKind.forbidden: 403,
        ErrorKind.unauthorized: 401,
        ErrorKind.unavailable: 503,
    }
)


def status_for(error: DomainError) -> int:
    """The HTTP status of a refusal, decided by its kind alone."""
    return STATUS_BY_KIND[error.kind]
