from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Uuid,
)

from shared.db import make_metadata

metadata = make_metadata()

products = Table(
    "products",
    metadata,
    Column("product_id", Uuid, primary_key=True),
    Column("mentor_id", String(100), nullable=False),
    Column("title", String(200), nullable=False),
    Column("price_amount", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("sessions_count", Integer, nullable=False),
    Column("session_minutes", Integer, nullable=False),
    Column("validity_days", Integer, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("price_amount > 0", name="price_positive"),
    CheckConstraint("sessions_count > 0", name="sessions_positive"),
    CheckConstraint("session_minutes > 0", name="minutes_positive"),
    CheckConstraint("validity_days > 0", name="validity_positive"),
    Index("ix_products_mentor_id", "mentor_id"),
)

# A paid order that must be refunded (packs could give no seat); the refund itself, with
# the provider call, comes with the payments issue and moves `status` on from here.
refund_requests = Table(
    "refund_requests",
    metadata,
    Column("order_id", Uuid, primary_key=True),
    Column("student_id", String(100), nullable=False),
    Column("mentor_id", String(100), nullable=False),
    Column("reason", String(500), nullable=False),
    Column("status", String(30), nullable=False),
    Column("event_id", Uuid, nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False),
)
