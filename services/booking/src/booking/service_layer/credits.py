"""Giving a credit back to packs when a booking does not happen — eventually, never lost."""

from collections.abc import Sequence
from uuid import UUID

from booking.adapters.repositories import BookingUnitOfWork
from booking.service_layer.dependencies import Dependencies
from shared.logging import get_logger

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
        async with deps.own_unit() as uow:
            await uow.credit_releases.remember(session_id, error=error, now=deps.clock.now())
            await uow.commit()
    except Exception as exc:
        log.error("credit.release_lost", session_id=str(session_id), error=repr(exc))


async def pending_credit_releases(
    *, uow: BookingUnitOfWork, deps: Dependencies, limit: int
) -> Sequence[UUID]:
    """Releases packs did not confirm yet (not locked: `retry_credit_release` claims each)."""
    return await uow.credit_releases.pending(limit=limit)


async def retry_credit_release(
    session_id: UUID, *, uow: BookingUnitOfWork, deps: Dependencies
) -> bool:
    """Ask packs again; True if it confirmed (the release is forgotten), else count a failure."""
    if not await uow.credit_releases.claim(session_id):
        return False
    try:
        await deps.packs.release(session_id)
    except Exception as exc:
        await uow.credit_releases.count_failure(session_id, error=repr(exc))
        return False
    await uow.credit_releases.forget(session_id)
    return True
