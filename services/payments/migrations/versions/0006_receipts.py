"""Receipts of paid orders and refunds, numbered in two series (decision 0041).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE SEQUENCE receipt_purchase_numbers")
    op.execute("CREATE SEQUENCE receipt_refund_numbers")
    op.create_table(
        "receipts",
        sa.Column("receipt_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("refund_id", sa.Uuid()),
        sa.Column("student_id", sa.String(100), nullable=False),
        sa.Column("mentor_id", sa.String(100), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("provider", sa.String(10), nullable=False),
        sa.Column("provider_ref", sa.String(255)),
        sa.Column("refers_to", sa.String(40)),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("document", postgresql.JSONB(), nullable=False),
        sa.PrimaryKeyConstraint("receipt_id", name="pk_receipts"),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.order_id"], name="fk_receipts_order_id_orders"
        ),
        sa.ForeignKeyConstraint(
            ["refund_id"], ["refunds.refund_id"], name="fk_receipts_refund_id_refunds"
        ),
        sa.UniqueConstraint("number", name="uq_receipts_number"),
        sa.UniqueConstraint("refund_id", name="uq_receipts_refund_id"),
        sa.CheckConstraint("kind IN ('purchase', 'refund')", name="ck_receipts_known_kind"),
        sa.CheckConstraint(
            "(kind = 'refund') = (refund_id IS NOT NULL)", name="ck_receipts_refund_has_refund_id"
        ),
        sa.CheckConstraint("total > 0", name="ck_receipts_total_positive"),
    )
    op.create_index(
        "uq_receipts_purchase_order_id",
        "receipts",
        ["order_id"],
        unique=True,
        postgresql_where=sa.text("kind = 'purchase'"),
    )
    op.create_index("ix_receipts_order_id", "receipts", ["order_id"])


def downgrade() -> None:
    op.drop_table("receipts")
    op.execute("DROP SEQUENCE receipt_refund_numbers")
    op.execute("DROP SEQUENCE receipt_purchase_numbers")
