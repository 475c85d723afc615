"""A running service's own tables, read from tests: its outbox's events, a count, every row."""

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select, text

from shared.db import ConnectionFactory
from shared.messaging.events import EVENTS, Event
from shared.messaging.tables import outbox


async def recorded_events(
    connection_factory: ConnectionFactory, event_type: type[Event]
) -> list[Event]:
    """Events of one type the service committed to its outbox, oldest first (published or not)."""
    async with connection_factory() as connection:
        rows = await connection.execute(
            select(outbox.c.envelope)
            .where(outbox.c.subject == event_type.subject)
            .order_by(outbox.c.created_at)
        )
        return [EVENTS[event_type.subject].model_validate(r.envelope["data"]) for r in rows]


async def scalar(connection_factory: ConnectionFactory, sql: str, **params: Any) -> Any:
    """The one value `sql` selects."""
    async with connection_factory() as connection:
        return await connection.scalar(text(sql), params)


async def table_rows(
    connection_factory: ConnectionFactory,
    tables: Iterable[str],
    *,
    outbox_columns: str = "id, subject",
) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of `tables` and the outbox's `outbox_columns`, to show that a refused request
    changed nothing. The relay stamps `published_at` on its own time, after the commit: which
    events were recorded is what a refused request must not change."""
    queries = {table: f"SELECT * FROM {table} ORDER BY 1" for table in tables}
    queries["outbox"] = f"SELECT {outbox_columns} FROM outbox ORDER BY 1"
    async with connection_factory() as connection:
        return {
            table: [tuple(row) for row in await connection.execute(text(query))]
            for table, query in queries.items()
        }
