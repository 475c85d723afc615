"""Booking rules a mentor sets: limits per day, per student and week or month, reschedules
(decision 0042). NULL is no limit.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

COLUMNS = (
    "max_sessions_per_day",
    "max_sessions_per_student_week",
    "max_sessions_per_student_month",
    "reschedule_notice_hours",
    "max_reschedules_per_session",
)


def upgrade() -> None:
    for column in COLUMNS:
        op.add_column("mentors", sa.Column(column, sa.Integer()))
    op.create_check_constraint(
        "ck_mentors_rules_not_negative", "mentors", f"least({', '.join(COLUMNS)}) >= 0"
    )


def downgrade() -> None:
    op.drop_constraint("ck_mentors_rules_not_negative", "mentors", type_="check")
    for column in reversed(COLUMNS):
        op.drop_column("mentors", column)
