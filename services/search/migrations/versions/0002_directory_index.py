"""Facts per field group, products, and the embedded index (weighted tsvector + pg_trgm).

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

STAMPED_GROUPS = ("profile", "capacity", "rating", "availability")

# Accents and case never matter: `mentor_text` stems English words after unaccent,
# `mentor_words` keeps whole folded words (the vocabulary typo matching looks words up in).
WORD_TOKENS = "hword, hword_part, word, asciiword, asciihword, hword_asciipart"
TEXT_CONFIGS = (
    "CREATE TEXT SEARCH CONFIGURATION mentor_text (COPY = english)",
    f"ALTER TEXT SEARCH CONFIGURATION mentor_text ALTER MAPPING FOR {WORD_TOKENS}"
    " WITH unaccent, english_stem",
    "CREATE TEXT SEARCH CONFIGURATION mentor_words (COPY = simple)",
    f"ALTER TEXT SEARCH CONFIGURATION mentor_words ALTER MAPPING FOR {WORD_TOKENS}"
    " WITH unaccent, simple",
)


def _products_table(name: str) -> None:
    op.create_table(
        name,
        sa.Column("product_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("mentor_id", sa.String(100), nullable=False),
        sa.Column("price_amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("product_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("product_event", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("product_id", name=f"pk_{name}"),
    )
    op.create_index(f"ix_{name}_mentor_id", name, ["mentor_id"])


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for statement in TEXT_CONFIGS:
        op.execute(statement)

    op.rename_table("mentor_directory", "mentor_facts")
    op.execute("ALTER TABLE mentor_facts RENAME CONSTRAINT pk_mentor_directory TO pk_mentor_facts")
    for group in STAMPED_GROUPS:
        if group == "availability":
            op.add_column(
                "mentor_facts", sa.Column("next_available_at", sa.DateTime(timezone=True))
            )
            op.add_column("mentor_facts", sa.Column("available_days", postgresql.ARRAY(sa.Date())))
            op.add_column("mentor_facts", sa.Column("availability_at", sa.DateTime(timezone=True)))
        op.add_column("mentor_facts", sa.Column(f"{group}_event", postgresql.UUID(as_uuid=True)))

    _products_table("mentor_products")
    _products_table("mentor_products_shadow")
    op.execute("CREATE TABLE mentor_facts_shadow (LIKE mentor_facts INCLUDING ALL)")
    op.execute(
        "ALTER TABLE mentor_facts_shadow RENAME CONSTRAINT mentor_facts_shadow_pkey"
        " TO pk_mentor_facts_shadow"
    )
    op.create_table(
        "projection_rebuilds",
        sa.Column("projection", sa.String(100), nullable=False),
        sa.Column("rebuild_id", sa.Uuid(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("projection", name="pk_projection_rebuilds"),
    )

    op.create_table(
        "mentor_index",
        sa.Column("mentor_id", sa.String(100), nullable=False),
        sa.Column("display_name", sa.String(100), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("company", sa.String(200), nullable=False),
        sa.Column("bio", sa.Text(), nullable=False),
        sa.Column("specialties", postgresql.ARRAY(sa.String(50)), nullable=False),
        sa.Column("specialty_keys", postgresql.ARRAY(sa.String(50)), nullable=False),
        sa.Column("job_family", sa.String(50), nullable=False),
        sa.Column("years_experience", sa.Integer(), nullable=False),
        sa.Column("experience_level", sa.String(10), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("accepting_students", sa.Boolean(), nullable=False),
        sa.Column("open_seats", sa.Integer()),
        sa.Column("price_amount", sa.BigInteger()),
        sa.Column("currency", sa.String(3)),
        sa.Column("rating_avg", sa.Float()),
        sa.Column("rating_count", sa.Integer(), nullable=False),
        sa.Column("next_available_at", sa.DateTime(timezone=True)),
        sa.Column("next_available_ts", sa.BigInteger()),
        sa.Column("available_days", postgresql.ARRAY(sa.Date()), nullable=False),
        sa.Column("available_day_starts", postgresql.ARRAY(sa.BigInteger()), nullable=False),
        sa.Column("search_vector", postgresql.TSVECTOR(), nullable=False),
        sa.PrimaryKeyConstraint("mentor_id", name="pk_mentor_index"),
    )
    op.create_index(
        "ix_mentor_index_search_vector", "mentor_index", ["search_vector"], postgresql_using="gin"
    )
    op.create_index(
        "ix_mentor_index_specialty_keys", "mentor_index", ["specialty_keys"], postgresql_using="gin"
    )

    op.create_table(
        "index_words",
        sa.Column("word", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("word", name="pk_index_words"),
    )
    op.create_index(
        "ix_index_words_word_trgm",
        "index_words",
        ["word"],
        postgresql_using="gin",
        postgresql_ops={"word": "gin_trgm_ops"},
    )


def downgrade() -> None:
    op.drop_table("index_words")
    op.drop_table("mentor_index")
    op.drop_table("projection_rebuilds")
    op.drop_table("mentor_facts_shadow")
    op.drop_table("mentor_products_shadow")
    op.drop_table("mentor_products")
    for column in (
        "profile_event",
        "capacity_event",
        "rating_event",
        "next_available_at",
        "available_days",
        "availability_at",
        "availability_event",
    ):
        op.drop_column("mentor_facts", column)
    op.execute("ALTER TABLE mentor_facts RENAME CONSTRAINT pk_mentor_facts TO pk_mentor_directory")
    op.rename_table("mentor_facts", "mentor_directory")
    op.execute("DROP TEXT SEARCH CONFIGURATION mentor_words")
    op.execute("DROP TEXT SEARCH CONFIGURATION mentor_text")
