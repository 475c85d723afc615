"""Due jobs of booking, run every interval by the kernel's runner (one replica per job at a time).

Each is the kernel's one loop: a use case finds the due rows, another claims and steps each in
its own unit of work (FOR UPDATE SKIP LOCKED), on booking's repositories.
"""

from booking.adapters.unit_of_work import SqlBookingUnitOfWork
from booking.service_layer.announce_availability import (
    announce_changed_availability,
    mentors_to_announce,
)
from booking.service_layer.credits import pending_credit_releases, retry_credit_release
from booking.service_layer.dependencies import Dependencies
from booking.service_layer.send_reminders import due_reminders, send_reminder
from shared.jobs import due_job
from shared.runtime import Runtime

SEND_REMINDERS = "send-session-reminders"
RETRY_RELEASES = "retry-credit-releases"
ANNOUNCE_AVAILABILITY = "announce-availability"


def register(runtime: Runtime, *, deps: Dependencies, batch_size: int) -> None:
    reminders = due_job(
        runtime.uow,
        find=due_reminders,
        step=send_reminder,
        deps=deps,
        batch_size=batch_size,
        repositories=SqlBookingUnitOfWork,
    )
    availability = due_job(
        runtime.uow,
        find=mentors_to_announce,
        step=announce_changed_availability,
        deps=deps,
        batch_size=batch_size,
        repositories=SqlBookingUnitOfWork,
    )
    releases = due_job(
        runtime.uow,
        find=pending_credit_releases,
        step=retry_credit_release,
        deps=deps,
        batch_size=batch_size,
        repositories=SqlBookingUnitOfWork,
    )
    runtime.add_job(SEND_REMINDERS, reminders)
    runtime.add_job(ANNOUNCE_AVAILABILITY, availability)
    runtime.add_job(RETRY_RELEASES, releases)
