from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    Uuid,
)
from sqlalchemy.dialects.postgresql import ARRAY

from shared.db import make_metadata

metadata = make_metadata()

mentors = Table(
    "mentors",
    metadata,
    Column("mentor_id", String(100), primary_key=True),
    Column("display_name", String(100), nullable=False),
    Column("title", String(200), nullable=False),
    Column("company", String(200), nullable=False),
    Column("bio", Text, nullable=False),
    Column("specialties", ARRAY(String(50)), nullable=False),
    Column("job_family", String(50), nullable=False),
    Column("years_experience", Integer, nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("accepting_students", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("years_experience >= 0", name="experience_not_negative"),
)

# What packs told us a student bought: the packs booking may later offer sessions from.
# Packs stays the source of truth for credits; booking asks it before booking.
student_packs = Table(
    "student_packs",
    metadata,
    Column("pack_id", Uuid, primary_key=True),
    Column("student_id", String(100), nullable=False),
    Column("mentor_id", String(100), nullable=False),
    Column("sessions_total", Integer, nullable=False),
    Column("session_minutes", Integer, nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_student_packs_student_id", "student_id"),
)
