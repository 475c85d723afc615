"""A mentor says who they are, whether they take students, and when they can be booked."""

from dataclasses import dataclass
from typing import Any

from booking.adapters import mentors as mentors_repo
from booking.domain.schedule import Schedule
from booking.service_layer.announce_availability import announce_availability
from booking.service_layer.dependencies import Dependencies
from shared.db import AnyRow
from shared.messaging.events import MentorUpdated
from shared.uow import UnitOfWork


@dataclass(frozen=True)
class SaveMentorProfile:
    mentor_id: str
    profile: dict[str, Any]
    """The public fields, as the HTTP model declares them (timezone included)."""
    schedule: Schedule


async def save_mentor_profile(
    cmd: SaveMentorProfile, *, uow: UnitOfWork, deps: Dependencies
) -> AnyRow:
    """Create or replace the profile; announce only what changed.

    Any change → `mentor.updated`; a change of the scheduling settings also →
    `mentor.availability_changed`.
    """
    schedule_fields = mentors_repo.schedule_columns(cmd.schedule)
    fields = {**cmd.profile, **schedule_fields}
    current = await mentors_repo.get_mentor(uow.connection, cmd.mentor_id, lock=True)
    if current is not None and _same(current, fields):
        return current
    now = deps.clock.now()
    row = await mentors_repo.upsert_mentor(
        uow.connection, mentor_id=cmd.mentor_id, fields=fields, now=now
    )
    announced = {name: row._mapping[name] for name in MentorUpdated.model_fields if name in fields}
    uow.record(MentorUpdated(mentor_id=cmd.mentor_id, **announced))
    if current is None or not _same(current, schedule_fields):
        await announce_availability(cmd.mentor_id, schedule=cmd.schedule, uow=uow, now=now)
    return row


def _same(row: AnyRow, fields: dict[str, Any]) -> bool:
    return all(row._mapping[name] == value for name, value in fields.items())
