"""The facts search has seen, one stamped group of columns each; an older fact never wins."""

from collections.abc import AsyncIterator
from datetime import datetime
from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy import Executable, Select, Table, bindparam, select, true, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.sql.selectable import LateralFromClause

from search.adapters.tables import mentor_facts, mentor_products
from search.domain.document import Facts, Profile
from search.domain.stamp import Stamp
from shared.db import AnyRow, DbConnection


@cache
def _group_upsert(table: Table, group: str, names: tuple[str, ...]) -> Executable:
    """Built once per (table, group): statements built per call cost more than their SQL."""
    at, event = table.c[f"{group}_at"], table.c[f"{group}_event"]
    columns = (*names, at.name, event.name)
    values = {name: bindparam(name, type_=table.c[name].type) for name in columns}
    newer = at.is_(None) | (
        tuple_(at, event)
        < tuple_(bindparam(at.name, type_=at.type), bindparam(event.name, type_=event.type))
    )
    statement = insert(table).values(
        mentor_id=bindparam("mentor_id"), **values, updated_at=bindparam("now")
    )
    return statement.on_conflict_do_update(
        index_elements=["mentor_id"],
        set_={
            **{name: statement.excluded[name] for name in columns},
            "updated_at": bindparam("now"),
        },
        where=newer,
    ).returning(table.c.mentor_id)


async def record_group(
    db: DbConnection,
    *,
    table: Table = mentor_facts,
    mentor_id: str,
    group: str,
    values: dict[str, Any],
    stamp: Stamp,
    now: datetime,
) -> bool:
    """Write one group of a mentor's columns unless the stored group holds a newer fact.

    True if written. Either way the upsert holds the mentor's row lock (Postgres locks a
    conflicting row even when the WHERE is false), so documents read after it in the same
    transaction reach the backend in commit order.
    """
    statement = _group_upsert(table, group, tuple(sorted(values)))
    parameters = {
        **values,
        "mentor_id": mentor_id,
        f"{group}_at": stamp.at,
        f"{group}_event": stamp.event_id,
        "now": now,
    }
    return (await db.execute(statement, parameters)).first() is not None


PRODUCT_COLUMNS = ("mentor_id", "price_amount", "currency", "active", "product_at", "product_event")


@cache
def _product_upsert(table: Table) -> Executable:
    values = {name: bindparam(name, type_=table.c[name].type) for name in PRODUCT_COLUMNS}
    statement = insert(table).values(
        product_id=bindparam("product_id"), **values, updated_at=bindparam("now")
    )
    newer = tuple_(table.c.product_at, table.c.product_event) < tuple_(
        statement.excluded.product_at, statement.excluded.product_event
    )
    return statement.on_conflict_do_update(
        index_elements=["product_id"],
        set_={
            **{name: statement.excluded[name] for name in PRODUCT_COLUMNS},
            "updated_at": bindparam("now"),
        },
        where=newer,
    ).returning(table.c.product_id)


async def record_product(
    db: DbConnection,
    *,
    table: Table = mentor_products,
    product_id: UUID,
    mentor_id: str,
    price_amount: int,
    currency: str,
    active: bool,
    stamp: Stamp,
    now: datetime,
) -> bool:
    """Keep the product's newest price and status; True if written."""
    parameters = {
        "product_id": product_id,
        "mentor_id": mentor_id,
        "price_amount": price_amount,
        "currency": currency,
        "active": active,
        "product_at": stamp.at,
        "product_event": stamp.event_id,
        "now": now,
    }
    return (await db.execute(_product_upsert(table), parameters)).first() is not None


@cache
def _lock_mentor(table: Table) -> Executable:
    statement = insert(table).values(mentor_id=bindparam("mentor_id"), updated_at=bindparam("now"))
    return statement.on_conflict_do_update(
        index_elements=["mentor_id"], set_={"updated_at": statement.excluded.updated_at}
    )


async def lock_mentor(db: DbConnection, *, table: Table, mentor_id: str, now: datetime) -> None:
    """Create the mentor's row if missing and hold its lock until the transaction ends."""
    await db.execute(_lock_mentor(table), {"mentor_id": mentor_id, "now": now})


def _lowest_price() -> LateralFromClause:
    """The mentor's cheapest active product as (amount, currency), cheapest first."""
    products, facts_table = mentor_products, mentor_facts
    return (
        select(products.c.price_amount, products.c.currency)
        .where(products.c.mentor_id == facts_table.c.mentor_id, products.c.active.is_(True))
        .order_by(products.c.price_amount, products.c.currency, products.c.product_id)
        .limit(1)
        .lateral("lowest")
    )


def _facts_query() -> Select[Any]:
    lowest = _lowest_price()
    return select(
        mentor_facts,
        lowest.c.price_amount.label("lowest_price"),
        lowest.c.currency.label("lowest_currency"),
    ).outerjoin(lowest, true())


@cache
def _facts_of_one() -> Executable:
    return _facts_query().where(mentor_facts.c.mentor_id == bindparam("mentor_id"))


async def read_facts(db: DbConnection, mentor_id: str) -> Facts:
    row = (await db.execute(_facts_of_one(), {"mentor_id": mentor_id})).first()
    return to_facts(row) if row is not None else Facts(mentor_id=mentor_id)


async def all_facts(db: DbConnection, *, batch: int = 1000) -> AsyncIterator[list[Facts]]:
    """Every mentor's facts, in batches ordered by mentor id (keyset paging)."""
    after = ""
    while True:
        rows = (
            await db.execute(
                _facts_query()
                .where(mentor_facts.c.mentor_id > after)
                .order_by(mentor_facts.c.mentor_id)
                .limit(batch)
            )
        ).all()
        if not rows:
            return
        yield [to_facts(row) for row in rows]
        after = rows[-1].mentor_id


async def changed_since(db: DbConnection, since: datetime) -> list[Facts]:
    rows = await db.execute(_facts_query().where(mentor_facts.c.updated_at >= since))
    return [to_facts(row) for row in rows]


def to_facts(row: AnyRow) -> Facts:
    m = row._mapping
    profile = None
    if m["profile_at"] is not None:
        profile = Profile(
            display_name=m["display_name"],
            title=m["title"] or "",
            company=m["company"] or "",
            bio=m["bio"] or "",
            specialties=tuple(m["specialties"] or ()),
            job_family=m["job_family"] or "",
            years_experience=m["years_experience"] or 0,
            timezone=m["timezone"] or "UTC",
            accepting_students=bool(m["accepting_students"]),
        )
    return Facts(
        mentor_id=m["mentor_id"],
        profile=profile,
        open_seats=m["open_seats"] if m["capacity_at"] is not None else None,
        price=(m["lowest_price"], m["lowest_currency"]) if m["lowest_price"] is not None else None,
        rating=(m["rating_avg"], m["rating_count"]) if m["rating_at"] is not None else None,
        next_available_at=m["next_available_at"],
        available_days=tuple(m["available_days"] or ()),
    )
