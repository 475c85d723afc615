"""Kernel tables, mentor profiles and the projection of students' packs.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from shared.migrate import create_kernel_tables, drop_kernel_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_kernel_tables()
    op.create_table(
        "mentors",
        sa.Column("mentor_id", sa.String(100), nullable=False),
        sa.Column("display_name", sa.String(100), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("company", sa.String(200), nullable=False),
        sa.Column("bio", sa.Text(), nullable=False),
        sa.Column("specialties", postgresql.ARRAY(sa.String(50)), nullable=False),
        sa.Column("job_family", sa.String(50), nullable=False),
        sa.Column("years_experience", sa.Integer(), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("accepting_students", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("mentor_id", name="pk_mentors"),
        sa.CheckConstraint("years_experience >= 0", name="ck_mentors_experience_not_negative"),
    )
    op.create_table(
        "student_packs",
        sa.Column("pack_id", sa.Uuid(), nullable=False),
        sa.Column("student_id", sa.String(100), nullable=False),
        sa.Column("mentor_id", sa.String(100), nullable=False),
        sa.Column("sessions_total", sa.Integer(), nullable=False),
        sa.Column("session_minutes", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("pack_id", name="pk_student_packs"),
    )
    op.create_index("ix_student_packs_student_id", "student_packs", ["student_id"])


def downgrade() -> None:
    op.drop_index("ix_student_packs_student_id", table_name="student_packs")
    op.drop_table("student_packs")
    op.drop_table("mentors")
    drop_kernel_tables()
