"""Notices become delivery rows, rendered for each recipient, once per (event, channel, user)."""

import uuid
from datetime import datetime
from typing import Any

from notifications.adapters import contacts as contacts_repo
from notifications.adapters import deliveries as deliveries_repo
from notifications.adapters import names as names_repo
from notifications.adapters.templates import Rendered
from notifications.domain.model import Channel, Contact, DeliveryStatus, Notice
from notifications.domain.names import counterpart_name, recipient_name
from notifications.domain.routing import Route, routes_for
from notifications.service_layer.dependencies import Dependencies
from shared.uow import UnitOfWork


async def plan_notices(
    notices: list[Notice],
    *,
    event_id: uuid.UUID,
    event_type: str,
    uow: UnitOfWork,
    deps: Dependencies,
) -> int:
    """Insert one row per notice and channel (pending, or skipped with the reason).

    Returns how many rows are new: a redelivered event finds its rows and adds none.
    """
    if not notices:
        return 0
    now = deps.clock.now()
    people = {n.recipient for n in notices} | {n.counterpart for n in notices if n.counterpart}
    known = await contacts_repo.get_many(uow.connection, people)
    profile_names = await names_repo.get_many(uow.connection, people)
    rows = []
    for notice in notices:
        contact = known.get(notice.recipient)
        routes = routes_for(
            contact, kind=notice.kind, discord_ready=deps.policy.discord_ready, only=notice.only
        )
        rendered = _render(
            notice, contact=contact, known=known, profile_names=profile_names, deps=deps
        )
        for route in routes:
            rows.append(
                _row(
                    notice,
                    route,
                    rendered,
                    event_id=notice.key or event_id,
                    event_type=event_type,
                    now=now,
                    attempt_limit=deps.policy.attempt_limit,
                )
            )
    inserted = await deliveries_repo.insert_planned(uow.connection, rows)
    due = {row.channel for row in inserted if row.status == DeliveryStatus.pending}
    if due:
        await deliveries_repo.wake_senders(uow.connection, due)
    return len(inserted)


def _render(
    notice: Notice,
    *,
    contact: Contact | None,
    known: dict[str, Contact],
    profile_names: dict[str, str],
    deps: Dependencies,
) -> Rendered:
    """The message in the reader's zone, naming people by their names (decision 0018)."""
    other = known.get(notice.counterpart) if notice.counterpart else None
    counterpart = counterpart_name(
        notice.counterpart, audience=notice.audience, profile_names=profile_names, contact=other
    )
    facts = {
        **notice.facts,
        "audience": notice.audience.value,
        "recipient": recipient_name(notice.recipient, profile_names=profile_names, contact=contact),
        "counterpart": counterpart or "",
        "counterpart_named": bool(
            notice.counterpart
            and (notice.counterpart in profile_names or (other and other.display_name))
        ),
        "connect_url": deps.policy.connect_discord_url,
    }
    return deps.renderer.render(
        notice.template,
        facts=facts,
        zone=contact.timezone if contact else "UTC",
        locale=contact.locale if contact else "en",
    )


def _row(
    notice: Notice,
    route: Route,
    rendered: Rendered,
    *,
    event_id: uuid.UUID,
    event_type: str,
    now: datetime,
    attempt_limit: int,
) -> dict[str, Any]:
    email = route.channel is Channel.email
    return {
        "delivery_id": uuid.uuid4(),
        "event_id": event_id,
        "event_type": event_type,
        "channel": route.channel.value,
        "recipient": notice.recipient,
        "address": route.address,
        "template": notice.template,
        "kind": notice.kind.value,
        "status": DeliveryStatus.skipped if route.skip else DeliveryStatus.pending,
        "skip_reason": route.skip.value if route.skip else None,
        "attempts": 0,
        "attempt_limit": attempt_limit,
        "subject": rendered.subject,
        "body_text": rendered.text if email else rendered.discord,
        "body_html": rendered.html if email else None,
        "attachments": list(notice.attachments) if email else [],
        "next_attempt_at": None if route.skip else now,
        "created_at": now,
        "updated_at": now,
    }
