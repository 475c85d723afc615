"""The facts search has seen, one stamped group of columns each; an older fact never wins."""

import json
from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Executable, Select, Table, TextClause, any_, bindparam, select, text, true
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql.selectable import LateralFromClause

from search.adapters.tables import mentor_facts, mentor_products
from search.domain.document import Facts, Profile
from search.domain.stamp import Stamp
from shared.db import AnyRow, DbConnection
from shared.messaging.events import ProductUpdated

PRODUCT_COLUMNS = ("mentor_id", "price_amount", "currency", "active", "product_at", "product_event")


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


async def all_facts(connection: DbConnection, *, batch: int = 1000) -> AsyncIterator[list[Facts]]:
    """Every mentor's facts, in batches ordered by mentor id (keyset paging)."""
    after = ""
    while True:
        rows = (
            await connection.execute(
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


async def changed_since(connection: DbConnection, since: datetime) -> list[Facts]:
    rows = await connection.execute(_facts_query().where(mentor_facts.c.updated_at >= since))
    return [to_facts(row) for row in rows]


# A batch of facts in few statements (issue 19): one per group of columns and table, rows as
# JSON records (arrays of arrays cannot be unnested), written in mentor order (the lock order
# of every writer); each returns the mentors whose row it changed.
POSTGRES = postgresql.dialect()  # type: ignore[no-untyped-call]  # SQLAlchemy leaves it untyped


def _sql_type(table: Table, name: str) -> str:
    return str(table.c[name].type.compile(dialect=POSTGRES))


def _records(table: Table, names: Sequence[str]) -> str:
    return ", ".join(f"{name} {_sql_type(table, name)}" for name in names)


@cache
def _groups_upsert(table: Table, group: str, names: tuple[str, ...]) -> TextClause:
    columns = ("mentor_id", *names, f"{group}_at", f"{group}_event")
    stored = f"{table.name}.{group}"
    return text(
        f"""
        INSERT INTO {table.name} ({", ".join(columns)}, updated_at)
        SELECT {", ".join(f"r.{name}" for name in columns)}, CAST(:now AS timestamptz)
        FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r({_records(table, columns)})
        ORDER BY r.mentor_id
        ON CONFLICT (mentor_id) DO UPDATE SET
            {", ".join(f"{name} = excluded.{name}" for name in columns[1:])},
            updated_at = excluded.updated_at
        WHERE {stored}_at IS NULL
           OR ({stored}_at, {stored}_event) < (excluded.{group}_at, excluded.{group}_event)
        RETURNING mentor_id
        """
    )


def _json_rows(rows: Sequence[dict[str, Any]]) -> str:
    return json.dumps(rows, default=str)  # dates, times and UUIDs as Postgres reads them


async def record_groups(
    connection: DbConnection,
    *,
    table: Table = mentor_facts,
    group: str,
    rows: Sequence[tuple[str, dict[str, Any], Stamp]],
    now: datetime,
) -> set[str]:
    """`record_group` for many mentors (one fact each) in one statement; the mentors written."""
    if not rows:
        return set()
    names = tuple(sorted(rows[0][1]))
    records = [
        {
            **values,
            "mentor_id": mentor_id,
            f"{group}_at": stamp.at,
            f"{group}_event": stamp.event_id,
        }
        for mentor_id, values, stamp in rows
    ]
    statement = _groups_upsert(table, group, names)
    result = await connection.execute(statement, {"rows": _json_rows(records), "now": now})
    return set(result.scalars())


@cache
def _products_upsert(products: Table, facts_table: Table | None) -> TextClause:
    """The mentors' rows are locked first (`touched` feeds the products' insert, so it runs
    first), as every writer of a mentor does."""
    records = _records(products, ("product_id", *PRODUCT_COLUMNS))
    columns = ", ".join(f"r.{name}" for name in ("product_id", *PRODUCT_COLUMNS))
    touch = ""
    source = "jsonb_to_recordset(CAST(:rows AS jsonb))"
    if facts_table is not None:
        touch = f"""
        WITH touched AS (
            INSERT INTO {facts_table.name} (mentor_id, updated_at)
            SELECT DISTINCT r.mentor_id, CAST(:now AS timestamptz)
            FROM {source} AS r({records})
            ORDER BY r.mentor_id
            ON CONFLICT (mentor_id) DO UPDATE SET updated_at = excluded.updated_at
            RETURNING mentor_id
        )"""
    return text(
        f"""{touch}
        INSERT INTO {products.name} (product_id, {", ".join(PRODUCT_COLUMNS)}, updated_at)
        SELECT {columns}, CAST(:now AS timestamptz)
        FROM {source} AS r({records})
        {"JOIN touched USING (mentor_id)" if touch else ""}
        ORDER BY r.mentor_id, r.product_id
        ON CONFLICT (product_id) DO UPDATE SET
            {", ".join(f"{name} = excluded.{name}" for name in PRODUCT_COLUMNS)},
            updated_at = excluded.updated_at
        WHERE ({products.name}.product_at, {products.name}.product_event)
              < (excluded.product_at, excluded.product_event)
        RETURNING mentor_id
        """
    )


async def record_products(
    connection: DbConnection,
    *,
    table: Table = mentor_products,
    lock_in: Table | None = mentor_facts,
    rows: Sequence[tuple[ProductUpdated, Stamp]],
    now: datetime,
) -> set[str]:
    """`record_product` for many products (one fact each) in one statement, after locking
    their mentors' rows in `lock_in`; the mentors whose product was written."""
    if not rows:
        return set()
    records = [
        {
            "product_id": product.product_id,
            "mentor_id": product.mentor_id,
            "price_amount": product.price_amount,
            "currency": product.currency,
            "active": product.active,
            "product_at": stamp.at,
            "product_event": stamp.event_id,
        }
        for product, stamp in rows
    ]
    statement = _products_upsert(table, lock_in)
    result = await connection.execute(statement, {"rows": _json_rows(records), "now": now})
    return set(result.scalars())


@cache
def _facts_of_many() -> Executable:
    return (
        _facts_query()
        .where(mentor_facts.c.mentor_id == any_(bindparam("mentor_ids")))
        .order_by(mentor_facts.c.mentor_id)
    )


async def facts_of(connection: DbConnection, mentor_ids: Sequence[str]) -> list[Facts]:
    """The facts of these mentors (those with a row), in mentor order, in one statement."""
    rows = await connection.execute(_facts_of_many(), {"mentor_ids": list(mentor_ids)})
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
