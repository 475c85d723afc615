"""Giving a credit back to packs when a booking does not happen — eventually, never lost."""

from uuid import UUID

from booking.adapters import credit_releases
from booking.service_layer.dependencies import Dependencies
from shared.logging import get_logger
from shared.uow import UnitOfWork

log = get_logger(__name__)


async def release_quietly(deps: Dependencies, session_id: UUID) -> None:
    """Release the credit of a session that was not booked; never raises.

    Packs answers a release for an id it never reserved with a released marker, so releasing
    after a refused or timed-out reserve is always safe. If packs does not answer, the release
    is written down in its own transaction (the booking's rolls back) and retried by a due job.
    """
    try:
        await deps.packs.release(session_id)
        return
    except Exception as exc:
        error = repr(exc)
    log.warning("credit.release_deferred", session_id=str(session_id), error=error)
    try:
        async with deps.uow_factory() as uow:
            await credit_releases.remember(
                uow.connection, session_id, error=error, now=deps.clock.now()
            )
            await uow.commit()
    except Exception as exc:
        log.error("credit.release_lost", session_id=str(session_id), error=repr(exc))


async def retry_credit_releases(*, uow: UnitOfWork, deps: Dependencies, limit: int) -> int:
    """Retry pending releases; returns how many packs confirmed."""
    released = 0
    for session_id in await credit_releases.claim(uow.connection, limit=limit):
        try:
            await deps.packs.release(session_id)
        except Exception as exc:
            await credit_releases.count_failure(uow.connection, session_id, error=repr(exc))
            continue
        await credit_releases.forget(uow.connection, session_id)
        released += 1
    return released
