"""Due jobs, run every minute by the kernel's runner (one replica per job at a time).

Each is the kernel's one loop: a use case finds the due rows, another claims and steps each in
its own unit of work (FOR UPDATE SKIP LOCKED), on packs' repositories.
"""

from packs.adapters.unit_of_work import SqlPacksUnitOfWork
from packs.service_layer.dependencies import Dependencies
from packs.service_layer.expire_hold import expire_hold, holds_ended
from packs.service_layer.expire_pack import expire_pack, packs_expiring
from packs.service_layer.grace import (
    grace_warnings_due,
    graces_over,
    release_after_grace,
    warn_grace_expiring,
)
from shared.jobs import due_job
from shared.runtime import Runtime

EXPIRE_HOLDS = "expire-seat-holds"
EXPIRE_PACKS = "expire-packs"
WARN_GRACE = "warn-grace-expiring"
RELEASE_GRACE = "release-after-grace"


def register(runtime: Runtime, *, deps: Dependencies, batch_size: int) -> None:
    for name, find, step in (
        (EXPIRE_HOLDS, holds_ended, expire_hold),
        (EXPIRE_PACKS, packs_expiring, expire_pack),
        (WARN_GRACE, grace_warnings_due, warn_grace_expiring),
        (RELEASE_GRACE, graces_over, release_after_grace),
    ):
        job = due_job(
            runtime.uow,
            find=find,
            step=step,
            deps=deps,
            batch_size=batch_size,
            repositories=SqlPacksUnitOfWork,
        )
        runtime.add_job(name, job)
