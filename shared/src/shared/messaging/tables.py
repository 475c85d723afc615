"""Kernel tables every service database carries: outbox, inbox, dead letters."""

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

from shared.db import make_metadata

kernel_metadata = make_metadata()

outbox = Table(
    "outbox",
    kernel_metadata,
    Column("id", Uuid, primary_key=True),
    Column("subject", String(200), nullable=False),
    Column("envelope", JSONB, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("published_at", DateTime(timezone=True)),
    Index(
        "ix_outbox_unpublished",
        "created_at",
        postgresql_where=text("published_at IS NULL"),
    ),
)

inbox = Table(
    "inbox",
    kernel_metadata,
    Column("consumer", String(200), nullable=False),
    Column("event_id", Uuid, nullable=False),
    Column("processed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("consumer", "event_id"),
)

dead_letters = Table(
    "dead_letters",
    kernel_metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("consumer", String(200), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("event_id", Uuid, nullable=False),
    Column("event_type", String(200)),
    Column("reason", String(30), nullable=False),
    # The message exactly as it arrived: bytes, so that no input (a NUL, invalid UTF-8) can
    # make a dead letter unstorable; the error is printable text (shared.messaging.failures).
    Column("body", LargeBinary, nullable=False),
    Column("error", Text, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("failed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("replayed_at", DateTime(timezone=True)),
    UniqueConstraint("consumer", "event_id"),
)
