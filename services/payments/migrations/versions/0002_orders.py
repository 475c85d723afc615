"""Orders, promo codes, refunds, stored webhook events; grandfathered products.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "products",
        sa.Column("grandfathered", sa.Boolean(), nullable=False, server_default="false"),
    )
    op.create_table(
        "promo_codes",
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("percent_off", sa.Integer()),
        sa.Column("amount_off", sa.BigInteger()),
        sa.Column("currency", sa.String(3)),
        sa.Column("expires_at", sa.DateTime(timezone=True)),
        sa.Column("max_redemptions", sa.Integer()),
        sa.Column("redeemed", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("product_id", sa.Uuid()),
        sa.Column("mentor_id", sa.String(100)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_promo_codes"),
        sa.CheckConstraint("kind IN ('percent', 'fixed')", name="ck_promo_codes_known_kind"),
        sa.CheckConstraint(
            "(kind = 'percent' AND percent_off BETWEEN 1 AND 100 AND amount_off IS NULL"
            " AND currency IS NULL) OR (kind = 'fixed' AND amount_off > 0 AND currency IS NOT NULL"
            " AND percent_off IS NULL)",
            name="ck_promo_codes_kind_fields",
        ),
        sa.CheckConstraint(
            "max_redemptions IS NULL OR max_redemptions > 0", name="ck_promo_codes_max_positive"
        ),
        sa.CheckConstraint(
            "redeemed >= 0 AND (max_redemptions IS NULL OR redeemed <= max_redemptions)",
            name="ck_promo_codes_redemptions_within_max",
        ),
    )
    op.create_table(
        "orders",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("student_id", sa.String(100), nullable=False),
        sa.Column("mentor_id", sa.String(100), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("provider", sa.String(10), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("request_fingerprint", sa.String(64), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("sessions_count", sa.Integer(), nullable=False),
        sa.Column("session_minutes", sa.Integer(), nullable=False),
        sa.Column("validity_days", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("original_amount", sa.BigInteger(), nullable=False),
        sa.Column("discount_amount", sa.BigInteger(), nullable=False),
        sa.Column("final_amount", sa.BigInteger(), nullable=False),
        sa.Column("promo_code", sa.String(40)),
        sa.Column("promo_returned", sa.Boolean(), nullable=False, server_default="false"),
        sa.Column("refunded_amount", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("provider_ref", sa.String(255)),
        sa.Column("payment_ref", sa.String(255)),
        sa.Column("redirect_url", sa.String(2000)),
        sa.Column("failure_reason", sa.String(500)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True)),
        sa.Column("ended_at", sa.DateTime(timezone=True)),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("order_id", name="pk_orders"),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.product_id"], name="fk_orders_product_id_products"
        ),
        sa.ForeignKeyConstraint(
            ["promo_code"], ["promo_codes.code"], name="fk_orders_promo_code_promo_codes"
        ),
        sa.UniqueConstraint("student_id", "idempotency_key", name="uq_orders_student_key"),
        sa.CheckConstraint(
            "status IN ('pending', 'paid', 'partially_refunded', 'refunded', 'failed', 'expired')",
            name="ck_orders_known_status",
        ),
        sa.CheckConstraint(
            "provider IN ('stripe', 'paypal', 'sandbox')", name="ck_orders_known_provider"
        ),
        sa.CheckConstraint("original_amount > 0", name="ck_orders_original_positive"),
        sa.CheckConstraint("discount_amount >= 0", name="ck_orders_discount_not_negative"),
        sa.CheckConstraint("final_amount > 0", name="ck_orders_final_positive"),
        sa.CheckConstraint(
            "final_amount = original_amount - discount_amount", name="ck_orders_final_adds_up"
        ),
        sa.CheckConstraint(
            "refunded_amount >= 0 AND refunded_amount <= final_amount",
            name="ck_orders_refund_within_paid",
        ),
    )
    op.create_index("ix_orders_student_id", "orders", ["student_id"])
    op.create_index("ix_orders_mentor_id", "orders", ["mentor_id"])
    op.create_index(
        "ix_orders_pending_expiry",
        "orders",
        ["expires_at"],
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.create_table(
        "refunds",
        sa.Column("refund_id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("provider_refund_id", sa.String(255)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("refund_id", name="pk_refunds"),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.order_id"], name="fk_refunds_order_id_orders"
        ),
        sa.CheckConstraint("amount > 0", name="ck_refunds_amount_positive"),
        sa.CheckConstraint(
            "status IN ('requested', 'succeeded', 'failed')", name="ck_refunds_known_status"
        ),
    )
    op.create_index("ix_refunds_order_id", "refunds", ["order_id"])
    op.create_table(
        "webhook_events",
        sa.Column("provider", sa.String(10), nullable=False),
        sa.Column("event_id", sa.String(255), nullable=False),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True)),
        sa.Column("outcome", sa.String(200)),
        sa.PrimaryKeyConstraint("provider", "event_id", name="pk_webhook_events"),
    )
    op.create_index(
        "ix_webhook_events_unprocessed",
        "webhook_events",
        ["received_at"],
        postgresql_where=sa.text("processed_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_table("webhook_events")
    op.drop_table("refunds")
    op.drop_table("orders")
    op.drop_table("promo_codes")
    op.drop_column("products", "grandfathered")
