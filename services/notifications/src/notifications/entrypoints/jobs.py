"""Due jobs, run every minute by the kernel's runner (one replica per job at a time)."""

from notifications.service_layer.dependencies import Dependencies
from notifications.service_layer.onboarding import remind_unconnected
from notifications.service_layer.sending import bury_lost_sends
from shared.runtime import Runtime

ONBOARDING_REMINDERS = "onboarding-reminders"
BURY_LOST_SENDS = "bury-lost-sends"


def register(runtime: Runtime, *, deps: Dependencies, batch_size: int = 100) -> None:
    async def remind() -> int:
        total = 0
        while True:
            async with runtime.uow() as uow:
                reminded = await remind_unconnected(uow=uow, deps=deps, limit=batch_size)
                await uow.commit()
            total += reminded
            if reminded < batch_size:
                return total

    async def bury() -> int:
        async with runtime.uow() as uow:
            buried = await bury_lost_sends(uow=uow, deps=deps)
            await uow.commit()
        return buried

    runtime.add_job(ONBOARDING_REMINDERS, remind)
    runtime.add_job(BURY_LOST_SENDS, bury)
