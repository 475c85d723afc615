"""Due jobs, run every minute by the kernel's runner (one replica per job at a time).

Each step claims its row with FOR UPDATE SKIP LOCKED and commits on its own, so one slow
or failing row never holds back the others.
"""

from collections.abc import Awaitable, Callable, Sequence
from uuid import UUID

from packs.adapters import packs as packs_repo
from packs.adapters import seats as seats_repo
from packs.service_layer.dependencies import Dependencies
from packs.service_layer.expire_hold import expire_hold
from packs.service_layer.expire_pack import expire_pack
from packs.service_layer.grace import release_after_grace, warn_grace_expiring
from shared.db import DbConnection
from shared.logging import get_logger
from shared.runtime import Runtime

log = get_logger(__name__)

EXPIRE_HOLDS = "expire-seat-holds"
EXPIRE_PACKS = "expire-packs"
WARN_GRACE = "warn-grace-expiring"
RELEASE_GRACE = "release-after-grace"

Finder = Callable[[DbConnection], Awaitable[Sequence[tuple[UUID, str]]]]
Step = Callable[..., Awaitable[bool]]


def register(runtime: Runtime, *, deps: Dependencies, batch_size: int) -> None:
    async def each(find: Finder, step: Step) -> int:
        return await _each_due(runtime, deps=deps, find=find, step=step, batch_size=batch_size)

    async def expire_holds() -> int:
        due = seats_repo.hold_ended(deps.clock.now())
        return await each(lambda c: seats_repo.due_seats(c, due=due, limit=batch_size), expire_hold)

    async def expire_packs() -> int:
        now = deps.clock.now()
        return await each(
            lambda c: packs_repo.due_to_expire(c, now=now, limit=batch_size), expire_pack
        )

    async def warn_grace() -> int:
        async with runtime.uow() as uow:
            warned = await warn_grace_expiring(uow=uow, deps=deps, limit=batch_size)
            await uow.commit()
        return warned

    async def release_grace() -> int:
        due = seats_repo.grace_over(deps.clock.now())
        return await each(
            lambda c: seats_repo.due_seats(c, due=due, limit=batch_size), release_after_grace
        )

    runtime.add_job(EXPIRE_HOLDS, expire_holds)
    runtime.add_job(EXPIRE_PACKS, expire_packs)
    runtime.add_job(WARN_GRACE, warn_grace)
    runtime.add_job(RELEASE_GRACE, release_grace)


async def _each_due(
    runtime: Runtime, *, deps: Dependencies, find: Finder, step: Step, batch_size: int
) -> int:
    """Run `step` on every due row, one transaction each; returns how many changed."""
    handled = 0
    while True:
        async with runtime.uow() as uow:
            due = await find(uow.connection)
        changed = 0
        for row_id, mentor_id in due:
            try:
                async with runtime.uow() as uow:
                    if await step(row_id, mentor_id=mentor_id, uow=uow, deps=deps):
                        await uow.commit()
                        changed += 1
            except Exception as exc:  # the next run tries again; the others go on
                log.exception("job.step_failed", row_id=str(row_id), error=repr(exc))
        handled += changed
        if len(due) < batch_size or changed == 0:
            return handled
