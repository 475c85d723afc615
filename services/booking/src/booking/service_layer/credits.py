"""Giving a credit back to packs when a booking does not happen."""

from uuid import UUID

from booking.service_layer.dependencies import Dependencies
from shared.logging import get_logger

log = get_logger(__name__)


async def release_quietly(deps: Dependencies, session_id: UUID) -> None:
    """Release the credit of a session that was not booked; a failure is logged, not raised.

    Packs answers a release for an id it never reserved with a released marker, so releasing
    after a refused or timed-out reserve is always safe.
    """
    try:
        await deps.packs.release(session_id)
    except Exception as exc:
        log.error("credit.release_failed", session_id=str(session_id), error=repr(exc))
