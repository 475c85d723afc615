"""Due jobs, run every minute by the kernel's runner (one replica per job at a time)."""

from notifications.adapters.unit_of_work import SqlNotificationsUnitOfWork
from notifications.service_layer.dependencies import Dependencies
from notifications.service_layer.onboarding import onboardings_to_remind, remind_unconnected
from notifications.service_layer.sending import bury_lost_sends
from shared.jobs import due_job, in_one_unit
from shared.runtime import Runtime

ONBOARDING_REMINDERS = "onboarding-reminders"
BURY_LOST_SENDS = "bury-lost-sends"


def register(runtime: Runtime, *, deps: Dependencies, batch_size: int = 100) -> None:
    remind = due_job(
        runtime.uow,
        find=onboardings_to_remind,
        step=remind_unconnected,
        deps=deps,
        batch_size=batch_size,
        repositories=SqlNotificationsUnitOfWork,
    )

    async def bury() -> int:  # one statement over every lost send: no row to step
        return await in_one_unit(
            runtime.uow, lambda uow: bury_lost_sends(uow=SqlNotificationsUnitOfWork(uow), deps=deps)
        )

    runtime.add_job(ONBOARDING_REMINDERS, remind)
    runtime.add_job(BURY_LOST_SENDS, bury)
