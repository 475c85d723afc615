"""Use cases of mentor profiles: a mentor says who they are and whether they take students."""

from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from booking.adapters.tables import mentors
from shared.messaging.events import MentorUpdated
from shared.messaging.outbox import Outbox
from shared.uow import UnitOfWork


@dataclass(frozen=True)
class SaveMentorProfile:
    mentor_id: str
    display_name: str
    title: str
    company: str
    bio: str
    specialties: list[str]
    job_family: str
    years_experience: int
    timezone: str
    accepting_students: bool


async def save_mentor_profile(
    cmd: SaveMentorProfile, *, uow: UnitOfWork, outbox: Outbox, now: datetime
) -> dict:
    """Create or replace the profile; announce `mentor.updated` only when something changed."""
    fields = asdict(cmd)
    current = (
        await uow.session.execute(
            select(mentors).where(mentors.c.mentor_id == cmd.mentor_id).with_for_update()
        )
    ).first()
    if current is not None and all(current._mapping[k] == v for k, v in fields.items()):
        return dict(current._mapping)
    row = (
        await uow.session.execute(
            insert(mentors)
            .values(**fields, created_at=now, updated_at=now)
            .on_conflict_do_update(index_elements=["mentor_id"], set_={**fields, "updated_at": now})
            .returning(*mentors.c)
        )
    ).one()
    outbox.record(uow, MentorUpdated(**fields))
    return dict(row._mapping)
