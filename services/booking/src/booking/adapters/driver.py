"""A hot read run on the asyncpg connection under a Core connection (decision 0036).

SQLAlchemy's execution of one statement (greenlet hops, cursor adaption, result metadata, a
`Row` per row) cost availability ~0.2 ms more than asyncpg's own `fetchrow` of the same SQL
on the same connection. A `DriverStatement` is a `text()` statement compiled once for asyncpg
(`$n` placeholders, the same SQL SQLAlchemy would send) and run on the checked-out
connection's driver: same pool and connection, inside the transaction if SQLAlchemy has sent
a BEGIN on it, and without one on the autocommit connections of `own_reads`.
"""

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Self

import asyncpg
from sqlalchemy import TextClause
from sqlalchemy.engine import URL

from shared.db import DbConnection

_CUT_OFF = (TimeoutError, asyncio.CancelledError, KeyboardInterrupt, SystemExit)


@dataclass(frozen=True)
class DriverStatement:
    sql: str
    """The statement as asyncpg receives it."""
    names: tuple[str, ...]
    """The bind names in `$1, $2, …` order."""

    @classmethod
    def compiled(cls, statement: TextClause) -> Self:
        # The dialect the kernel's engines use (postgresql+asyncpg), so the SQL is theirs.
        compiled = statement.compile(dialect=URL.create("postgresql+asyncpg").get_dialect()())
        return cls(str(compiled), tuple(compiled.positiontup or ()))

    async def fetch_row(
        self, connection: DbConnection, values: Mapping[str, Any]
    ) -> asyncpg.Record | None:
        """The first row (None without one), as SQLAlchemy's `execute(...).first()` reads it."""
        raw = await connection.get_raw_connection()
        driver: asyncpg.Connection = raw.driver_connection
        try:
            row: asyncpg.Record | None = await driver.fetchrow(
                self.sql, *[values[name] for name in self.names]
            )
        except BaseException as error:
            # What SQLAlchemy does on its own path: a lost connection, or one left mid-statement
            # by a cancellation or a timeout, is not handed to the next caller.
            if driver.is_closed() or isinstance(error, _CUT_OFF):
                await connection.invalidate()
            raise
        return row
