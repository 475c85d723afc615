from sqlalchemy import (
    Column,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.dialects.postgresql import ARRAY

from shared.db import make_metadata

metadata = make_metadata()

contacts = Table(
    "contacts",
    metadata,
    Column("user_id", String(100), primary_key=True),
    Column("email", String(320)),
    Column("discord_id", String(32)),
    Column("timezone", String(64), nullable=False),
    Column("channels", ARRAY(String(20)), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# One row per message to send: keyed by (event, channel, recipient) so each is sent once.
# `address` is the email or Discord id known when the event arrived (None: not known yet).
deliveries = Table(
    "deliveries",
    metadata,
    Column("delivery_id", Uuid, primary_key=True),
    Column("event_id", Uuid, nullable=False),
    Column("event_type", String(100), nullable=False),
    Column("channel", String(20), nullable=False),
    Column("recipient", String(100), nullable=False),
    Column("address", String(320)),
    Column("template", String(100), nullable=False),
    Column("status", String(20), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True)),
    UniqueConstraint("event_id", "channel", "recipient"),
    Index("ix_deliveries_status", "status"),
)
