"""Notices become delivery rows, rendered for each recipient, once per (event, channel, user)."""

import uuid
from datetime import datetime

from notifications.adapters.repositories import NotificationsUnitOfWork
from notifications.adapters.templates import Rendered
from notifications.domain.model import Channel, Contact, Delivery, DeliveryStatus, Notice
from notifications.domain.names import name_of
from notifications.domain.routing import Route, routes_for
from notifications.service_layer.dependencies import Dependencies


async def plan_notices(
    notices: list[Notice],
    *,
    event_id: uuid.UUID,
    event_type: str,
    uow: NotificationsUnitOfWork,
    deps: Dependencies,
) -> int:
    """Insert one row per notice and channel (pending, or skipped with the reason).

    Returns how many rows are new: a redelivered event finds its rows and adds none.
    """
    if not notices:
        return 0
    now = deps.clock.now()
    people = {n.recipient for n in notices} | {n.counterpart for n in notices if n.counterpart}
    known = await uow.contacts.get_many(people)
    profile_names = await uow.names.get_many(people)
    planned = []
    for notice in notices:
        contact = known.get(notice.recipient)
        routes = routes_for(
            contact, kind=notice.kind, discord_ready=deps.policy.discord_ready, only=notice.only
        )
        rendered = _render(
            notice, contact=contact, known=known, profile_names=profile_names, deps=deps
        )
        for route in routes:
            planned.append(
                _delivery(
                    notice,
                    route,
                    rendered,
                    event_id=notice.key or event_id,
                    event_type=event_type,
                    now=now,
                    attempt_limit=deps.policy.attempt_limit,
                )
            )
    inserted = await uow.deliveries.add_planned(planned)
    due = {d.channel for d in inserted if d.status is DeliveryStatus.pending}
    if due:
        await uow.deliveries.wake_senders(due)
    return len(inserted)


def _render(
    notice: Notice,
    *,
    contact: Contact | None,
    known: dict[str, Contact],
    profile_names: dict[str, str],
    deps: Dependencies,
) -> Rendered:
    """The message in the reader's zone and language, naming people by their names (decision
    0018; an unknown name is worded by the template, decision 0035)."""
    other = known.get(notice.counterpart) if notice.counterpart else None
    counterpart = (
        name_of(notice.counterpart, profile_names=profile_names, contact=other)
        if notice.counterpart
        else None
    )
    facts = {
        **notice.facts,
        "audience": notice.audience.value,
        "recipient": name_of(notice.recipient, profile_names=profile_names, contact=contact),
        "counterpart": counterpart,
        "counterpart_named": counterpart is not None,
        "connect_url": deps.policy.connect_discord_url,
        "payments_url": deps.policy.payments_url,
        "checkout_url": deps.policy.checkout_link(notice.facts.get("mentor_id")),
    }
    return deps.renderer.render(
        notice.template,
        facts=facts,
        zone=contact.timezone if contact else "UTC",
        locale=contact.locale if contact else "en",
        invite=notice.invite,
    )


def _delivery(
    notice: Notice,
    route: Route,
    rendered: Rendered,
    *,
    event_id: uuid.UUID,
    event_type: str,
    now: datetime,
    attempt_limit: int,
) -> Delivery:
    email = route.channel is Channel.email
    return Delivery(
        delivery_id=uuid.uuid4(),
        event_id=event_id,
        event_type=event_type,
        channel=route.channel,
        recipient=notice.recipient,
        address=route.address,
        template=notice.template,
        kind=notice.kind,
        status=DeliveryStatus.skipped if route.skip else DeliveryStatus.pending,
        skip_reason=route.skip,
        attempts=0,
        attempt_limit=attempt_limit,
        subject=rendered.subject,
        body_text=rendered.text if email else rendered.discord,
        body_html=rendered.html if email else None,
        attachments=list(rendered.attachments) if email else [],
        next_attempt_at=None if route.skip else now,
        created_at=now,
        updated_at=now,
    )
