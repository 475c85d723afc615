"""How a mail names people: by the name they chose, never by their id when avoidable.

An unknown name is None here: each language's templates say it their way ("Hi there,",
"your mentor"; "Guten Tag,", "Ihrem Mentor" — `templates/_words.<language>.txt`)."""

from notifications.domain.model import Contact


def name_of(user_id: str, *, profile_names: dict[str, str], contact: Contact | None) -> str | None:
    """A mentor's profile name (what students see) first, else the contact's own name."""
    return profile_names.get(user_id) or (contact.display_name if contact else None) or None
