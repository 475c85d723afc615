"""The payments tables; every invariant concurrency could break is a constraint here."""

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Sequence,
    String,
    Table,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

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
    Column("grandfathered", Boolean, nullable=False, server_default="false"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("price_amount > 0", name="price_positive"),
    CheckConstraint("sessions_count > 0", name="sessions_positive"),
    CheckConstraint("session_minutes > 0", name="minutes_positive"),
    CheckConstraint("validity_days > 0", name="validity_positive"),
    Index("ix_products_mentor_id", "mentor_id"),
)

# A paid order that must be refunded in full (packs could give no seat); `status` moves on
# to `refunded` once the provider refund is issued.
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

promo_codes = Table(
    "promo_codes",
    metadata,
    Column("code", String(40), primary_key=True),
    Column("kind", String(10), nullable=False),
    Column("percent_off", Integer),
    Column("amount_off", BigInteger),
    Column("currency", String(3)),
    Column("expires_at", DateTime(timezone=True)),
    Column("max_redemptions", Integer),
    Column("redeemed", Integer, nullable=False, server_default="0"),
    Column("product_id", Uuid),
    Column("mentor_id", String(100)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("kind IN ('percent', 'fixed')", name="known_kind"),
    CheckConstraint(
        "(kind = 'percent' AND percent_off BETWEEN 1 AND 100 AND amount_off IS NULL"
        " AND currency IS NULL) OR (kind = 'fixed' AND amount_off > 0 AND currency IS NOT NULL"
        " AND percent_off IS NULL)",
        name="kind_fields",
    ),
    CheckConstraint("max_redemptions IS NULL OR max_redemptions > 0", name="max_positive"),
    CheckConstraint(
        "redeemed >= 0 AND (max_redemptions IS NULL OR redeemed <= max_redemptions)",
        name="redemptions_within_max",
    ),
)

orders = Table(
    "orders",
    metadata,
    Column("order_id", Uuid, primary_key=True),
    Column("student_id", String(100), nullable=False),
    Column("mentor_id", String(100), nullable=False),
    Column("product_id", Uuid, ForeignKey("products.product_id"), nullable=False),
    Column("provider", String(10), nullable=False),
    Column("status", String(20), nullable=False),
    Column("idempotency_key", String(200), nullable=False),
    Column("request_fingerprint", String(64), nullable=False),
    Column("title", String(200), nullable=False),
    Column("sessions_count", Integer, nullable=False),
    Column("session_minutes", Integer, nullable=False),
    Column("validity_days", Integer, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("original_amount", BigInteger, nullable=False),
    Column("discount_amount", BigInteger, nullable=False),
    Column("final_amount", BigInteger, nullable=False),
    Column("promo_code", String(40), ForeignKey("promo_codes.code")),
    Column("promo_returned", Boolean, nullable=False, server_default="false"),
    Column("refunded_amount", BigInteger, nullable=False, server_default="0"),
    Column("provider_ref", String(255)),
    Column("payment_ref", String(255)),
    Column("redirect_url", String(2000)),
    Column("failure_reason", String(500)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("paid_at", DateTime(timezone=True)),
    Column("ended_at", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("student_id", "idempotency_key", name="uq_orders_student_key"),
    CheckConstraint(
        "status IN ('pending', 'paid', 'partially_refunded', 'refunded', 'failed', 'expired')",
        name="known_status",
    ),
    CheckConstraint("provider IN ('stripe', 'paypal', 'sandbox')", name="known_provider"),
    CheckConstraint("original_amount > 0", name="original_positive"),
    CheckConstraint("discount_amount >= 0", name="discount_not_negative"),
    CheckConstraint("final_amount > 0", name="final_positive"),
    CheckConstraint("final_amount = original_amount - discount_amount", name="final_adds_up"),
    CheckConstraint(
        "refunded_amount >= 0 AND refunded_amount <= final_amount", name="refund_within_paid"
    ),
    Index("ix_orders_student_id", "student_id"),
    Index("ix_orders_mentor_id", "mentor_id"),
    Index("ix_orders_pending_expiry", "expires_at", postgresql_where=text("status = 'pending'")),
)

# Every refund of an order, issued here or at the provider; `amount` sums into the order's
# `refunded_amount` in the same transaction, which the order's CHECK caps at what was paid.
refunds = Table(
    "refunds",
    metadata,
    Column("refund_id", Uuid, primary_key=True),
    Column("order_id", Uuid, ForeignKey("orders.order_id"), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("reason", String(500), nullable=False),
    Column("status", String(20), nullable=False),
    Column("provider_refund_id", String(255)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("amount > 0", name="amount_positive"),
    CheckConstraint("status IN ('requested', 'succeeded', 'failed')", name="known_status"),
    Index("ix_refunds_order_id", "order_id"),
)

# Each provider event once, raw body kept, stored before it is answered and processed after.
webhook_events = Table(
    "webhook_events",
    metadata,
    Column("provider", String(10), primary_key=True),
    Column("event_id", String(255), primary_key=True),
    Column("event_type", String(100), nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("processed_at", DateTime(timezone=True)),
    Column("outcome", String(200)),
    # Set when the event can never be applied (its shape is wrong, or it failed
    # MAX_ATTEMPTS times): processed, kept with the reason.
    Column("dead_reason", String(500)),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Index(
        "ix_webhook_events_unprocessed",
        "received_at",
        postgresql_where=text("processed_at IS NULL"),
    ),
)

# A paid provider event whose amount or currency is not its order's: never fulfilled, kept
# for operators (decision 0017).
payment_mismatches = Table(
    "payment_mismatches",
    metadata,
    Column("mismatch_id", Uuid, primary_key=True),
    Column("order_id", Uuid, ForeignKey("orders.order_id"), nullable=False),
    Column("provider", String(10), nullable=False),
    Column("event_id", String(255), nullable=False),
    Column("expected_amount", BigInteger, nullable=False),
    Column("expected_currency", String(3), nullable=False),
    Column("reported_amount", BigInteger),
    Column("reported_currency", String(3)),
    Column("detected_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("provider", "event_id", name="uq_payment_mismatches_provider_event_id"),
    Index("ix_payment_mismatches_order_id", "order_id"),
)

# What payments knows of a pack's use, from packs' and booking's events, for pro-rata refunds.
pack_usage = Table(
    "pack_usage",
    metadata,
    Column("order_id", Uuid, primary_key=True),
    Column("pack_id", Uuid, nullable=False, unique=True),
    Column("sessions_total", Integer, nullable=False),
    CheckConstraint("sessions_total > 0", name="total_positive"),
)

# One row per booked session id; `consumed` only ever turns true (events arrive in any order).
session_credits = Table(
    "session_credits",
    metadata,
    Column("session_id", Uuid, primary_key=True),
    Column("pack_id", Uuid),
    Column("consumed", Boolean, nullable=False, server_default="false"),
    Index("ix_session_credits_pack_id", "pack_id"),
)

# One number series per kind of receipt; a number is taken as its receipt is written, so a
# transaction that rolls back (or a receipt that existed already) leaves a gap (decision 0041).
receipt_purchase_numbers = Sequence("receipt_purchase_numbers", metadata=metadata)
receipt_refund_numbers = Sequence("receipt_refund_numbers", metadata=metadata)

# A receipt for each paid order and each confirmed refund, written with the change that caused
# it; `document` keeps it as issued (seller, buyer, lines, tax), whatever changes later.
receipts = Table(
    "receipts",
    metadata,
    Column("receipt_id", Uuid, primary_key=True),
    Column("number", String(40), nullable=False, unique=True),
    Column("kind", String(10), nullable=False),
    Column("order_id", Uuid, ForeignKey("orders.order_id"), nullable=False),
    Column("refund_id", Uuid, ForeignKey("refunds.refund_id"), unique=True),
    Column("student_id", String(100), nullable=False),
    Column("mentor_id", String(100), nullable=False),
    Column("total", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("provider", String(10), nullable=False),
    Column("provider_ref", String(255)),
    Column("refers_to", String(40)),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("document", JSONB, nullable=False),
    CheckConstraint("kind IN ('purchase', 'refund')", name="known_kind"),
    CheckConstraint("(kind = 'refund') = (refund_id IS NOT NULL)", name="refund_has_refund_id"),
    CheckConstraint("total > 0", name="total_positive"),
    # One purchase receipt per order, however often (or concurrently) its payment is reported.
    Index(
        "uq_receipts_purchase_order_id",
        "order_id",
        unique=True,
        postgresql_where=text("kind = 'purchase'"),
    ),
    Index("ix_receipts_order_id", "order_id"),
)
