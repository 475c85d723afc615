"""Kernel tables, the product catalog and refund requests.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

from shared.migrate import create_kernel_tables, drop_kernel_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_kernel_tables()
    op.create_table(
        "products",
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("mentor_id", sa.String(100), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("price_amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("sessions_count", sa.Integer(), nullable=False),
        sa.Column("session_minutes", sa.Integer(), nullable=False),
        sa.Column("validity_days", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("product_id", name="pk_products"),
        sa.CheckConstraint("price_amount > 0", name="ck_products_price_positive"),
        sa.CheckConstraint("sessions_count > 0", name="ck_products_sessions_positive"),
        sa.CheckConstraint("session_minutes > 0", name="ck_products_minutes_positive"),
        sa.CheckConstraint("validity_days > 0", name="ck_products_validity_positive"),
    )
    op.create_index("ix_products_mentor_id", "products", ["mentor_id"])
    op.create_table(
        "refund_requests",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("student_id", sa.String(100), nullable=False),
        sa.Column("mentor_id", sa.String(100), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("order_id", name="pk_refund_requests"),
    )


def downgrade() -> None:
    op.drop_table("refund_requests")
    op.drop_index("ix_products_mentor_id", table_name="products")
    op.drop_table("products")
    drop_kernel_tables()
