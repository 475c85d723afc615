"""How a mail names people: by the name they chose, never by their id when avoidable."""

from notifications.domain.model import Audience, Contact

# Unknown names: a greeting without a name, and the other person by their role.
UNKNOWN_RECIPIENT = "there"  # "Hi there,"
UNKNOWN_COUNTERPART = {Audience.student: "your mentor", Audience.mentor: "your student"}


def name_of(user_id: str, *, profile_names: dict[str, str], contact: Contact | None) -> str | None:
    """A mentor's profile name (what students see) first, else the contact's own name."""
    return profile_names.get(user_id) or (contact.display_name if contact else None) or None


def recipient_name(user_id: str, *, profile_names: dict[str, str], contact: Contact | None) -> str:
    return name_of(user_id, profile_names=profile_names, contact=contact) or UNKNOWN_RECIPIENT


def counterpart_name(
    user_id: str | None,
    *,
    audience: Audience,
    profile_names: dict[str, str],
    contact: Contact | None,
) -> str | None:
    """The other person of the message (the reader's mentor, or student), None if there is none."""
    if user_id is None:
        return None
    named = name_of(user_id, profile_names=profile_names, contact=contact)
    return named or UNKNOWN_COUNTERPART[audience]
