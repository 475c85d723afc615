"""Search's tables: the facts it has seen (per field group) and the embedded backend's index."""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR, UUID

from shared.db import make_metadata
from shared.messaging.snapshots import rebuild_markers_table

metadata = make_metadata()

# The projection, rebuildable from the owners' snapshots and events. Each group of columns is
# stamped with the (time, event id) of the fact that wrote it; an older fact never overwrites
# a newer one. A row exists as soon as any fact names the mentor.
mentor_facts = Table(
    "mentor_facts",
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
    Column("profile_event", UUID(as_uuid=True)),
    # from mentor.capacity_changed
    Column("capacity", Integer),
    Column("open_seats", Integer),
    Column("capacity_at", DateTime(timezone=True)),
    Column("capacity_event", UUID(as_uuid=True)),
    # from review.submitted
    Column("rating_avg", Float),
    Column("rating_count", Integer),
    Column("rating_at", DateTime(timezone=True)),
    Column("rating_event", UUID(as_uuid=True)),
    # from mentor.availability_changed
    Column("next_available_at", DateTime(timezone=True)),
    Column("available_days", ARRAY(Date)),
    Column("availability_at", DateTime(timezone=True)),
    Column("availability_event", UUID(as_uuid=True)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# from product.updated: one row per product, so that the lowest active price is exact
# whichever product changes or in which order the facts arrive.
mentor_products = Table(
    "mentor_products",
    metadata,
    Column("product_id", UUID(as_uuid=True), primary_key=True),
    Column("mentor_id", String(100), nullable=False, index=True),
    Column("price_amount", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("product_at", DateTime(timezone=True), nullable=False),
    Column("product_event", UUID(as_uuid=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# A rebuild fills these from the owners' snapshots, then swaps them in (decision 0006).
mentor_facts_shadow = mentor_facts.to_metadata(metadata, name="mentor_facts_shadow")
mentor_products_shadow = mentor_products.to_metadata(metadata, name="mentor_products_shadow")
projection_rebuilds = rebuild_markers_table(metadata)

# The embedded backend's index: one row per listed mentor document.
mentor_index = Table(
    "mentor_index",
    metadata,
    Column("mentor_id", String(100), primary_key=True),
    Column("display_name", String(100), nullable=False),
    Column("title", String(200), nullable=False),
    Column("company", String(200), nullable=False),
    Column("bio", Text, nullable=False),
    Column("specialties", ARRAY(String(50)), nullable=False),
    Column("specialty_keys", ARRAY(String(50)), nullable=False),
    Column("job_family", String(50), nullable=False),
    Column("years_experience", Integer, nullable=False),
    Column("experience_level", String(10), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("accepting_students", Boolean, nullable=False),
    Column("open_seats", Integer),
    Column("price_amount", BigInteger),
    Column("currency", String(3)),
    Column("rating_avg", Float),
    Column("rating_count", Integer, nullable=False),
    Column("next_available_at", DateTime(timezone=True)),
    Column("next_available_ts", BigInteger),
    Column("available_days", ARRAY(Date), nullable=False),
    Column("available_day_starts", ARRAY(BigInteger), nullable=False),
    Column("search_vector", TSVECTOR, nullable=False),
    Index("ix_mentor_index_search_vector", "search_vector", postgresql_using="gin"),
    Index("ix_mentor_index_specialty_keys", "specialty_keys", postgresql_using="gin"),
)

# Every word of the indexed texts (folded), for typo-tolerant query expansion with pg_trgm.
index_words = Table(
    "index_words",
    metadata,
    Column("word", String(100), primary_key=True),
    Index(
        "ix_index_words_word_trgm",
        "word",
        postgresql_using="gin",
        postgresql_ops={"word": "gin_trgm_ops"},
    ),
)
