"""A mentor says who they are, whether they take students, and when they can be booked."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from booking.adapters.mentors import schedule_columns
from booking.adapters.repositories import BookingUnitOfWork
from booking.domain.schedule import Schedule
from booking.service_layer.announce_availability import announce_availability
from booking.service_layer.dependencies import Dependencies
from shared.messaging.events import MentorUpdated


@dataclass(frozen=True)
class SaveMentorProfile:
    mentor_id: str
    profile: dict[str, Any]
    """The public fields, as the HTTP model declares them (timezone included)."""
    schedule: Schedule


def mentor_updated(profile: Mapping[str, Any]) -> MentorUpdated:
    """`mentor.updated` from the stored profile (the use case and `snapshot.mentor` alike)."""
    return MentorUpdated(
        **{name: profile[name] for name in MentorUpdated.model_fields if name in profile}
    )


async def save_mentor_profile(
    cmd: SaveMentorProfile, *, uow: BookingUnitOfWork, deps: Dependencies
) -> dict[str, Any]:
    """Create or replace the profile; announce only what changed.

    Any change → `mentor.updated`; a change of the scheduling settings also →
    `mentor.availability_changed`.
    """
    schedule_fields = schedule_columns(cmd.schedule)
    fields = {**cmd.profile, **schedule_fields}
    current = await uow.mentors.profile(cmd.mentor_id, lock=True)
    if current is not None and _same(current, fields):
        return current
    now = deps.clock.now()
    stored = await uow.mentors.upsert(cmd.mentor_id, fields=fields, now=now)
    uow.record(mentor_updated(stored))
    if current is None or not _same(current, schedule_fields):
        await announce_availability(cmd.mentor_id, schedule=cmd.schedule, uow=uow, now=now)
    return stored


def _same(stored: Mapping[str, Any], fields: dict[str, Any]) -> bool:
    return all(stored[name] == value for name, value in fields.items())
