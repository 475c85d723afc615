"""Discord onboarding: after a student's first purchase, an email with the connect link, and
one reminder 48 h later unless they connected meanwhile."""

import uuid

from notifications.adapters import contacts as contacts_repo
from notifications.adapters import onboarding as onboarding_repo
from notifications.domain.model import Audience, Channel, Kind, Notice
from notifications.service_layer.dependencies import Dependencies
from notifications.service_layer.planning import plan_notices
from shared.messaging.events import PackPurchased
from shared.uow import UnitOfWork

ONBOARDING = "onboarding"
REMINDER = "onboarding_reminder"


def _key(student_id: str, purpose: str) -> uuid.UUID:
    """A stable delivery key per student and message, so each is planned once."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"mentorship:{purpose}:{student_id}")


async def start_onboarding(
    purchase: PackPurchased, *, event_id: uuid.UUID, uow: UnitOfWork, deps: Dependencies
) -> bool:
    """True if this purchase started the student's onboarding (and its email was planned)."""
    if purchase.renewal:
        return False
    now = deps.clock.now()
    contact = await contacts_repo.get(uow.connection, purchase.student_id)
    connected = contact is not None and contact.discord_id is not None
    started = await onboarding_repo.start(
        uow.connection,
        student_id=purchase.student_id,
        event_id=event_id,
        now=now,
        remind_at=now + deps.policy.onboarding_reminder_after,
        connected=connected,
    )
    if started and not connected:
        await _plan(purchase.student_id, purchase.mentor_id, ONBOARDING, uow=uow, deps=deps)
    return started and not connected


async def remind_unconnected(*, uow: UnitOfWork, deps: Dependencies, limit: int) -> int:
    """The one reminder for onboardings past their time and still not connected."""
    now = deps.clock.now()
    due = await onboarding_repo.claim_due_reminders(uow.connection, now=now, limit=limit)
    for row in due:
        await onboarding_repo.mark_reminded(uow.connection, student_id=row.student_id, now=now)
        await _plan(row.student_id, None, REMINDER, uow=uow, deps=deps)
    return len(due)


async def _plan(
    student_id: str, mentor_id: str | None, template: str, *, uow: UnitOfWork, deps: Dependencies
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
