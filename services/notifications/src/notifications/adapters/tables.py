"""Tables of the notifications database. Each invariant a row can state is a constraint here."""

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from shared.db import make_metadata

metadata = make_metadata()

ID = 100  # length of a Clerk user id column

contacts = Table(
    "contacts",
    metadata,
    Column("user_id", String(ID), primary_key=True),
    Column("email", String(320)),
    Column("display_name", String(200)),
    Column("discord_id", String(32)),
    Column("discord_webhook_url", String(300)),
    Column("timezone", String(64), nullable=False),
    Column("locale", String(35), nullable=False, server_default="en"),
    Column("channels", ARRAY(String(20)), nullable=False),
    # Per kind of message, the channels to use instead of `channels` ([] mutes the kind).
    Column("kind_channels", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# One row per message: keyed by (event, channel, recipient) so each is sent once, however
# often the event arrives. The message is rendered when the row is planned; a sender claims
# due rows (pending, next_attempt_at reached, no live lease) with SKIP LOCKED.
deliveries = Table(
    "deliveries",
    metadata,
    Column("delivery_id", Uuid, primary_key=True),
    Column("event_id", Uuid, nullable=False),
    Column("event_type", String(100), nullable=False),
    Column("channel", String(20), nullable=False),
    Column("recipient", String(ID), nullable=False),
    Column("address", String(320)),
    Column("template", String(100), nullable=False),
    Column("kind", String(20), nullable=False, server_default="account"),
    Column("status", String(20), nullable=False),
    Column("skip_reason", String(100)),
    Column("attempts", Integer, nullable=False),
    Column("attempt_limit", Integer, nullable=False, server_default="6"),
    Column("last_error", Text),
    Column("provider_message_id", String(255)),
    Column("subject", Text),
    Column("body_text", Text),
    Column("body_html", Text),
    Column("attachments", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("next_attempt_at", DateTime(timezone=True)),
    Column("lease_until", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True)),
    UniqueConstraint("event_id", "channel", "recipient"),
    CheckConstraint(
        "status IN ('pending', 'sent', 'skipped', 'failed', 'dead')", name="status_known"
    ),
    CheckConstraint("channel IN ('email', 'discord')", name="channel_known"),
    CheckConstraint("attempts >= 0 AND attempts <= attempt_limit", name="attempts_bounded"),
    CheckConstraint("status <> 'pending' OR next_attempt_at IS NOT NULL", name="pending_is_due"),
    CheckConstraint("status <> 'skipped' OR skip_reason IS NOT NULL", name="skip_has_reason"),
    CheckConstraint("(status = 'sent') = (sent_at IS NOT NULL)", name="sent_has_time"),
    Index("ix_deliveries_status", "status"),
    Index("ix_deliveries_recipient", "recipient", "created_at"),
    Index(
        "ix_deliveries_due",
        "channel",
        "next_attempt_at",
        postgresql_where=text("status = 'pending'"),
    ),
)

# A student's Discord onboarding: one row per student, made by their first purchase.
onboarding = Table(
    "onboarding",
    metadata,
    Column("student_id", String(ID), primary_key=True),
    Column("first_event_id", Uuid, nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("remind_at", DateTime(timezone=True), nullable=False),
    Column("reminded_at", DateTime(timezone=True)),
    Column("connected_at", DateTime(timezone=True)),
    Index(
        "ix_onboarding_remind_at",
        "remind_at",
        postgresql_where=text("reminded_at IS NULL AND connected_at IS NULL"),
    ),
)

# The public names of mentors, from booking's `mentor.updated`: mails name a mentor as their
# profile does ("Grace"), not by id. Only a newer event replaces a name (`occurred_at`).
mentor_names = Table(
    "mentor_names",
    metadata,
    Column("mentor_id", String(ID), primary_key=True),
    Column("display_name", String(200), nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
)
