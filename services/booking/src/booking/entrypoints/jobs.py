"""Due jobs of booking, run every interval by the kernel's runner."""

from booking.service_layer.dependencies import Dependencies
from booking.service_layer.send_reminders import send_due_reminders
from shared.runtime import Runtime

SEND_REMINDERS = "send-session-reminders"


def register(runtime: Runtime, *, deps: Dependencies, batch_size: int) -> None:
    async def send_reminders() -> int:
        sent = 0
        while True:
            async with runtime.uow() as uow:
                claimed = await send_due_reminders(uow=uow, deps=deps, limit=batch_size)
                await uow.commit()
            sent += claimed
            if claimed < batch_size:
                return sent

    runtime.add_job(SEND_REMINDERS, send_reminders)
