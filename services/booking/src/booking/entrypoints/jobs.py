"""Due jobs of booking, run every interval by the kernel's runner."""

from booking.service_layer.announce_availability import announce_changed_availability
from booking.service_layer.credits import retry_credit_releases
from booking.service_layer.dependencies import Dependencies
from booking.service_layer.send_reminders import send_due_reminders
from shared.runtime import Runtime

SEND_REMINDERS = "send-session-reminders"
RETRY_RELEASES = "retry-credit-releases"
ANNOUNCE_AVAILABILITY = "announce-availability"


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

    async def retry_releases() -> int:
        async with runtime.uow() as uow:
            released = await retry_credit_releases(uow=uow, deps=deps, limit=batch_size)
            await uow.commit()
        return released

    async def announce_availability() -> int:
        async with runtime.uow() as uow:
            announced = await announce_changed_availability(
                uow=uow, now=deps.clock.now(), limit=batch_size
            )
            await uow.commit()
        return announced

    runtime.add_job(SEND_REMINDERS, send_reminders)
    runtime.add_job(ANNOUNCE_AVAILABILITY, announce_availability)
    runtime.add_job(RETRY_RELEASES, retry_releases)
