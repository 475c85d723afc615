"""Sending: rendered messages, attempts and leases on deliveries; richer contacts; onboarding.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

EMPTY_OBJECT = sa.text("'{}'::jsonb")
EMPTY_LIST = sa.text("'[]'::jsonb")


def upgrade() -> None:
    op.add_column("contacts", sa.Column("display_name", sa.String(200)))
    op.add_column("contacts", sa.Column("discord_webhook_url", sa.String(300)))
    op.add_column(
        "contacts", sa.Column("locale", sa.String(35), nullable=False, server_default="en")
    )
    op.add_column(
        "contacts",
        sa.Column("kind_channels", postgresql.JSONB(), nullable=False, server_default=EMPTY_OBJECT),
    )
    columns = [
        sa.Column("kind", sa.String(20), nullable=False, server_default="account"),
        sa.Column("skip_reason", sa.String(100)),
        sa.Column("attempt_limit", sa.Integer(), nullable=False, server_default="6"),
        sa.Column("provider_message_id", sa.String(255)),
        sa.Column("subject", sa.Text()),
        sa.Column("body_text", sa.Text()),
        sa.Column("body_html", sa.Text()),
        sa.Column("attachments", postgresql.JSONB(), nullable=False, server_default=EMPTY_LIST),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True)),
        sa.Column("lease_until", sa.DateTime(timezone=True)),
        sa.Column("updated_at", sa.DateTime(timezone=True)),
    ]
    for column in columns:
        op.add_column("deliveries", column)
    # First-slice rows were never sent: make them due now.
    op.execute("UPDATE deliveries SET next_attempt_at = created_at WHERE status = 'pending'")
    checks = {
        "status_known": "status IN ('pending', 'sent', 'skipped', 'failed', 'dead')",
        "channel_known": "channel IN ('email', 'discord')",
        "attempts_bounded": "attempts >= 0 AND attempts <= attempt_limit",
        "pending_is_due": "status <> 'pending' OR next_attempt_at IS NOT NULL",
        "skip_has_reason": "status <> 'skipped' OR skip_reason IS NOT NULL",
        "sent_has_time": "(status = 'sent') = (sent_at IS NOT NULL)",
    }
    for name, condition in checks.items():
        op.create_check_constraint(op.f(f"ck_deliveries_{name}"), "deliveries", condition)
    op.create_index("ix_deliveries_recipient", "deliveries", ["recipient", "created_at"])
    op.create_index(
        "ix_deliveries_due",
        "deliveries",
        ["channel", "next_attempt_at"],
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.create_table(
        "onboarding",
        sa.Column("student_id", sa.String(100), nullable=False),
        sa.Column("first_event_id", sa.Uuid(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("remind_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True)),
        sa.Column("connected_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("student_id", name="pk_onboarding"),
    )
    op.create_index(
        "ix_onboarding_remind_at",
        "onboarding",
        ["remind_at"],
        postgresql_where=sa.text("reminded_at IS NULL AND connected_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_onboarding_remind_at", table_name="onboarding")
    op.drop_table("onboarding")
    op.drop_index("ix_deliveries_due", table_name="deliveries")
    op.drop_index("ix_deliveries_recipient", table_name="deliveries")
    for name in (
        "status_known",
        "channel_known",
        "attempts_bounded",
        "pending_is_due",
        "skip_has_reason",
        "sent_has_time",
    ):
        op.drop_constraint(op.f(f"ck_deliveries_{name}"), "deliveries", type_="check")
    for name in (
        "kind",
        "skip_reason",
        "attempt_limit",
        "provider_message_id",
        "subject",
        "body_text",
        "body_html",
        "attachments",
        "next_attempt_at",
        "lease_until",
        "updated_at",
    ):
        op.drop_column("deliveries", name)
    for name in ("display_name", "discord_webhook_url", "locale", "kind_channels"):
        op.drop_column("contacts", name)
