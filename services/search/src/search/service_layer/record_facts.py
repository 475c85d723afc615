"""Each event's fact lands in its own group of columns; the mentor's document follows it.

During a rebuild a fact also goes to the shadow tables (live first, then shadow: the lock
order of the swap). Only the live tables feed the backend.
"""

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

from search.adapters import facts
from search.adapters.tables import mentor_facts, mentor_products
from search.domain.document import build_document
from search.domain.stamp import Stamp
from search.service_layer.dependencies import Dependencies
from shared.messaging.events import (
    Event,
    MentorAvailabilityChanged,
    MentorCapacityChanged,
    MentorUpdated,
    ProductUpdated,
    ReviewSubmitted,
)
from shared.uow import UnitOfWork

FactValue = str | int | float | bool | list[str] | list[date] | datetime | None


def profile_values(event: MentorUpdated) -> dict[str, FactValue]:
    return {
        "display_name": event.display_name,
        "title": event.title,
        "company": event.company,
        "bio": event.bio,
        "specialties": list(event.specialties),
        "job_family": event.job_family,
        "years_experience": event.years_experience,
        "timezone": event.timezone,
        "accepting_students": event.accepting_students,
    }


GROUPS: dict[type[Event], tuple[str, Callable[[Any], dict[str, FactValue]]]] = {
    MentorUpdated: ("profile", profile_values),
    MentorCapacityChanged: (
        "capacity",
        lambda e: {"capacity": e.capacity, "open_seats": e.open_seats},
    ),
    ReviewSubmitted: (
        "rating",
        lambda e: {"rating_avg": e.average_rating, "rating_count": e.review_count},
    ),
    MentorAvailabilityChanged: (
        "availability",
        lambda e: {
            "next_available_at": e.next_available_at,
            "available_days": sorted(set(e.available_days)),
        },
    ),
}
FACT_EVENTS: tuple[type[Event], ...] = (*GROUPS.keys(), ProductUpdated)
PROFILE = GROUPS[MentorUpdated][0]
PRODUCT = "product"


async def record_fact(
    event: Event, *, stamp: Stamp, uow: UnitOfWork, deps: Dependencies, live: bool = True
) -> None:
    """Gather the fact; the unit of work writes its batch's facts just before it commits."""
    pending = uow.before_commit((record_facts, live), lambda: _Pending(uow, deps, live=live))
    pending.facts.append((event, stamp))


class _Pending:
    """The facts a unit of work gathered, written together before it commits (decision 0029)."""

    def __init__(self, uow: UnitOfWork, deps: Dependencies, *, live: bool) -> None:
        self.facts: list[tuple[Event, Stamp]] = []
        self._uow, self._deps, self._live = uow, deps, live

    async def __call__(self) -> None:
        await record_facts(self.facts, uow=self._uow, deps=self._deps, live=self._live)


def _newest(
    facts_in_order: Sequence[tuple[Event, Stamp]],
) -> dict[tuple[str, str], tuple[Event, Stamp]]:
    """The newest fact of each (group, mentor) or ("product", product id): the order-safe write
    keeps the newest of a mentor's facts whatever the order, so the others change nothing."""
    newest: dict[tuple[str, str], tuple[Event, Stamp]] = {}
    for event, stamp in facts_in_order:
        if isinstance(event, ProductUpdated):
            key = (PRODUCT, str(event.product_id))
        else:
            key = (GROUPS[type(event)][0], event.mentor_id)  # type: ignore[attr-defined]
        if key not in newest or _order(newest[key][1]) < _order(stamp):
            newest[key] = (event, stamp)
    return newest


def _order(stamp: Stamp) -> tuple[datetime, UUID]:
    return (stamp.at, stamp.event_id)  # as the stored stamps compare


async def record_facts(
    facts_in_order: Sequence[tuple[Event, Stamp]],
    *,
    uow: UnitOfWork,
    deps: Dependencies,
    live: bool = True,
) -> None:
    """Apply facts to the live tables (then the shadows during a rebuild), or only to the
    shadows when `live` is False (snapshot items of a rebuild); each changed mentor's
    document goes to the backend once, at the end. A few statements for the whole batch."""
    fact_tables, product_tables = await deps.shadows.targets(uow.connection)
    if not live:
        fact_tables, product_tables = fact_tables[1:], product_tables[1:]
    by_group: dict[str, list[tuple[Event, Stamp]]] = {}
    for (group, _), fact in sorted(_newest(facts_in_order).items()):
        by_group.setdefault(group, []).append(fact)
    products = by_group.pop(PRODUCT, [])
    now = deps.clock.now()
    text_changed: dict[str, bool] = {}  # mentor id -> whether the profile's text changed
    for table in fact_tables:  # live first, then shadow: the lock order of the swap
        for group, found in by_group.items():
            values_of = GROUPS[type(found[0][0])][1]
            rows = [(e.mentor_id, values_of(e), stamp) for e, stamp in found]  # type: ignore[attr-defined]
            written = await facts.record_groups(
                uow.connection, table=table, group=group, rows=rows, now=now
            )
            if table is mentor_facts:
                for mentor_id in written:
                    text_changed[mentor_id] = text_changed.get(mentor_id, False) or group == PROFILE
    for table in product_tables:
        written = await facts.record_products(
            uow.connection,
            table=table,
            lock_in=mentor_facts if table is mentor_products else None,
            rows=products,  # type: ignore[arg-type]  # only ProductUpdated facts
            now=now,
        )
        if table is mentor_products:
            for mentor_id in written:
                text_changed.setdefault(mentor_id, False)
    if text_changed:
        await _reindex(text_changed, uow=uow, deps=deps)


async def _reindex(text_changed: dict[str, bool], *, uow: UnitOfWork, deps: Dependencies) -> None:
    """Send the changed mentors' documents to the backend (none while no profile is known)."""
    documents = [
        document
        for found in await facts.facts_of(uow.connection, sorted(text_changed))
        if (document := build_document(found)) is not None
    ]
    for with_text in (True, False):
        batch = [d for d in documents if text_changed[d.mentor_id] is with_text]
        if batch:
            await deps.backend.index(batch, uow=uow, text_changed=with_text)
