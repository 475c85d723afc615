from sqlalchemy import Column, DateTime, String, Table, Uuid, func

from shared.db import make_metadata

metadata = make_metadata()

sessions = Table(
    "sessions",
    metadata,
    Column("session_id", Uuid, primary_key=True),
    Column("mentor_id", String(100), nullable=False),
    Column("student_id", String(100), nullable=False),
    Column("starts_at", DateTime(timezone=True), nullable=False),
    Column("ends_at", DateTime(timezone=True), nullable=False),
    Column("status", String(20), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
