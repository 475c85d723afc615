"""Paid events that disagree with their order; dead-lettered provider events.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "payment_mismatches",
        sa.Column("mismatch_id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("provider", sa.String(10), nullable=False),
        sa.Column("event_id", sa.String(255), nullable=False),
        sa.Column("expected_amount", sa.BigInteger(), nullable=False),
        sa.Column("expected_currency", sa.String(3), nullable=False),
        sa.Column("reported_amount", sa.BigInteger()),
        sa.Column("reported_currency", sa.String(3)),
        sa.Column("detected_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("mismatch_id", name="pk_payment_mismatches"),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.order_id"],
            name="fk_payment_mismatches_order_id_orders",
        ),
        sa.UniqueConstraint("provider", "event_id", name="uq_payment_mismatches_provider_event_id"),
    )
    op.create_index("ix_payment_mismatches_order_id", "payment_mismatches", ["order_id"])
    op.add_column("webhook_events", sa.Column("dead_reason", sa.String(500)))


def downgrade() -> None:
    op.drop_column("webhook_events", "dead_reason")
    op.drop_table("payment_mismatches")
