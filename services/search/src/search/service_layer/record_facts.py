"""Each event's fact lands in its own group of columns; the mentor's document follows it.

During a rebuild a fact also goes to the shadow tables (live first, then shadow: the lock
order of the swap). Only the live tables feed the backend.
"""

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table

from search.adapters import facts
from search.adapters.tables import mentor_facts, mentor_products
from search.domain.document import build_document
from search.domain.stamp import Stamp
from search.service_layer.context import Context
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


async def record_fact(
    event: Event, *, stamp: Stamp, uow: UnitOfWork, ctx: Context, live: bool = True
) -> None:
    await record_facts([(event, stamp)], uow=uow, ctx=ctx, live=live)


async def record_facts(
    facts_in_order: Sequence[tuple[Event, Stamp]],
    *,
    uow: UnitOfWork,
    ctx: Context,
    live: bool = True,
) -> None:
    """Apply facts to the live tables (then the shadows during a rebuild), or only to the
    shadows when `live` is False (snapshot items of a rebuild); each changed mentor's
    document goes to the backend once, at the end."""
    changed: dict[str, bool] = {}  # mentor id -> whether the profile's text changed
    fact_tables, product_tables = await ctx.shadows.targets(uow.connection)
    for event, stamp in facts_in_order:
        if isinstance(event, ProductUpdated):
            tables = product_tables if live else product_tables[1:]
            written = await _record_product(event, stamp=stamp, uow=uow, ctx=ctx, tables=tables)
        else:
            tables = fact_tables if live else fact_tables[1:]
            written = await _record_group(event, stamp=stamp, uow=uow, ctx=ctx, tables=tables)
        if written and live:
            mentor_id: str = event.mentor_id  # type: ignore[attr-defined]
            changed[mentor_id] = changed.get(mentor_id, False) or isinstance(event, MentorUpdated)
    for mentor_id, text_changed in changed.items():
        await reindex(mentor_id, uow=uow, ctx=ctx, text_changed=text_changed)


async def _record_group(
    event: Event, *, stamp: Stamp, uow: UnitOfWork, ctx: Context, tables: list[Table]
) -> bool:
    """True if the live row changed."""
    group, values_of = GROUPS[type(event)]
    mentor_id: str = event.mentor_id  # type: ignore[attr-defined]
    values = values_of(event)
    now = ctx.clock.now()
    changed = False
    for table in tables:
        written = await facts.record_group(
            uow.connection,
            table=table,
            mentor_id=mentor_id,
            group=group,
            values=values,
            stamp=stamp,
            now=now,
        )
        changed = changed or (written and table is mentor_facts)
    return changed


async def _record_product(
    event: ProductUpdated, *, stamp: Stamp, uow: UnitOfWork, ctx: Context, tables: list[Table]
) -> bool:
    """True if the live product changed."""
    now = ctx.clock.now()
    changed = False
    if tables and tables[0] is mentor_products:
        # The mentor's row lock orders this mentor's backend writes by commit.
        await facts.lock_mentor(
            uow.connection, table=mentor_facts, mentor_id=event.mentor_id, now=now
        )
    for table in tables:
        written = await facts.record_product(
            uow.connection,
            table=table,
            product_id=event.product_id,
            mentor_id=event.mentor_id,
            price_amount=event.price_amount,
            currency=event.currency,
            active=event.active,
            stamp=stamp,
            now=now,
        )
        changed = changed or (written and table is mentor_products)
    return changed


async def reindex(
    mentor_id: str, *, uow: UnitOfWork, ctx: Context, text_changed: bool = True
) -> None:
    """Send the mentor's current document to the backend (nothing while no profile is known)."""
    document = build_document(await facts.read_facts(uow.connection, mentor_id))
    if document is not None:
        await ctx.backend.index([document], uow=uow, text_changed=text_changed)
