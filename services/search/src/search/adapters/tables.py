from sqlalchemy import Boolean, Column, DateTime, Float, Integer, String, Table, Text
from sqlalchemy.dialects.postgresql import ARRAY

from shared.db import make_metadata

metadata = make_metadata()

# A projection, rebuildable from events. Each source fills its own columns and stamps them
# with the event's `occurred_at`, so an older event arriving late never overwrites a newer one.
# A row exists as soon as any event names the mentor; it is listed once a profile is known.
mentor_directory = Table(
    "mentor_directory",
    metadata,
    Column("mentor_id", String(100), primary_key=True),
    # from mentor.updated
    Column("display_name", String(100)),
    Column("title", String(200)),
    Column("company", String(200)),
    Column("bio", Text),
    Column("specialties", ARRAY(String(50))),
    Column("job_family", String(50)),
    Column("years_experience", Integer),
    Column("timezone", String(64)),
    Column("accepting_students", Boolean),
    Column("profile_at", DateTime(timezone=True)),
    # from mentor.capacity_changed
    Column("capacity", Integer),
    Column("open_seats", Integer),
    Column("capacity_at", DateTime(timezone=True)),
    # from review.submitted
    Column("rating_avg", Float),
    Column("rating_count", Integer),
    Column("rating_at", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
