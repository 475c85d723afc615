"""Async SQLAlchemy engine, connection factory and constraint naming conventions."""

from collections.abc import Callable
from typing import Any

from sqlalchemy import MetaData, Row
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def make_metadata() -> MetaData:
    """A MetaData with the project's constraint naming convention."""
    return MetaData(naming_convention=NAMING_CONVENTION)


def make_engine(url: str, *, pool_size: int = 10, pool_timeout: float = 2.0) -> AsyncEngine:
    """`pool_timeout`: the longest wait for a free connection, then a 503 DATABASE_BUSY."""
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_timeout=pool_timeout,
        pool_pre_ping=False,
        # SQL errors and their logs never carry the statement's parameters (emails, names).
        hide_parameters=True,
    )


DbConnection = AsyncConnection
"""What units of work and reads hand to queries: a Core connection in a transaction."""

ConnectionFactory = Callable[[], AsyncConnection]

AnyRow = Row[*tuple[Any, ...]]
"""A result row of any shape, for adapters that map rows to domain objects or views."""


def make_connection_factory(engine: AsyncEngine) -> ConnectionFactory:
    """Core connections, not ORM sessions: all our SQL is Core, and a Core transaction costs
    about half as much client time (bench/event_hop.py, decision 0002)."""
    return engine.connect
