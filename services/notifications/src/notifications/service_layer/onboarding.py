"""Discord onboarding: after a student's first purchase, an email with the connect link, and
one reminder 48 h later unless they connected meanwhile."""

import uuid

from notifications.adapters.repositories import NotificationsUnitOfWork
from notifications.domain.model import Audience, Channel, Kind, Notice
from notifications.service_layer.dependencies import Dependencies
from notifications.service_layer.planning import plan_notices
from shared.messaging.events import PackPurchased

ONBOARDING = "onboarding"
REMINDER = "onboarding_reminder"


def _key(student_id: str, purpose: str) -> uuid.UUID:
    """A stable delivery key per student and message, so each is planned once."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"mentorship:{purpose}:{student_id}")


async def start_onboarding(
    purchase: PackPurchased,
    *,
    event_id: uuid.UUID,
    uow: NotificationsUnitOfWork,
    deps: Dependencies,
) -> bool:
    """True if this purchase started the student's onboarding (and its email was planned)."""
    if purchase.renewal:
        return False
    now = deps.clock.now()
    contact = await uow.contacts.get(purchase.student_id)
    connected = contact is not None and contact.discord_id is not None
    started = await uow.onboarding.start(
        purchase.student_id,
        event_id=event_id,
        now=now,
        remind_at=now + deps.policy.onboarding_reminder_after,
        connected=connected,
    )
    if started and not connected:
        await _plan(purchase.student_id, purchase.mentor_id, ONBOARDING, uow=uow, deps=deps)
    return started and not connected


async def onboardings_to_remind(
    *, uow: NotificationsUnitOfWork, deps: Dependencies, limit: int
) -> list[str]:
    """Students past their reminder time and still not connected (not locked)."""
    return await uow.onboarding.due_reminders(now=deps.clock.now(), limit=limit)


async def remind_unconnected(
    student_id: str, *, uow: NotificationsUnitOfWork, deps: Dependencies
) -> bool:
    """The one reminder for an onboarding past its time and still not connected."""
    now = deps.clock.now()
    if not await uow.onboarding.claim_due_reminder(student_id, now=now):
        return False
    await uow.onboarding.mark_reminded(student_id, now=now)
    await _plan(student_id, None, REMINDER, uow=uow, deps=deps)
    return True


async def _plan(
    student_id: str,
    mentor_id: str | None,
    template: str,
    *,
    uow: NotificationsUnitOfWork,
    deps: Dependencies,
) -> None:
    key = _key(student_id, template)
    notice = Notice(
        student_id,
        Audience.student,
        template,
        Kind.onboarding,
        {},
        counterpart=mentor_id,
        only=Channel.email,
        key=key,
    )
    await plan_notices(
        [notice], event_id=key, event_type=f"onboarding.{template}", uow=uow, deps=deps
    )
