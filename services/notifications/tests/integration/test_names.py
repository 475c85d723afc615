"""Mails name a mentor by their newest profile: the rules of names are unit tests
(`tests/unit/test_names.py`); the order of profile events is Postgres' (`occurred_at`)."""

import uuid

from shared.messaging.events import Envelope, MentorUpdated
from shared.testing.helpers import eventually

from ..unit.builders import purchased


def profile(mentor: str, name: str) -> MentorUpdated:
    return MentorUpdated(mentor_id=mentor, display_name=name, timezone="Europe/Paris")


async def mails_of(notifications, event_id: uuid.UUID, count: int) -> dict[str, object]:
    async def planned():
        rows = await notifications.deliveries(event_id=event_id, channel="email")
        return rows if len(rows) >= count else None

    return {row.recipient: row for row in await eventually(planned)}


async def known_name(notifications, mentor: str, name: str) -> None:
    async def stored():
        async with notifications.runtime.connection_factory() as connection:
            found = await connection.exec_driver_sql(
                "SELECT display_name FROM mentor_names WHERE mentor_id = $1", (mentor,)
            )
            row = found.first()
        return row is not None and row.display_name == name

    await eventually(stored)


async def processed(notifications, event_id: uuid.UUID) -> None:
    async def done():
        async with notifications.runtime.connection_factory() as connection:
            found = await connection.exec_driver_sql(
                "SELECT 1 FROM inbox WHERE event_id = $1", (event_id,)
            )
            return found.first() is not None

    await eventually(done)


async def test_a_late_older_profile_event_does_not_bring_back_an_old_name(notifications):
    old = Envelope.wrap(profile("m-renamed", "Grace H."), producer="booking")
    new = Envelope.wrap(profile("m-renamed", "Grace Hopper"), producer="booking")
    assert old.occurred_at < new.occurred_at

    await notifications.publish(new.payload(), envelope=new)
    await known_name(notifications, "m-renamed", "Grace Hopper")
    await notifications.publish(old.payload(), envelope=old)
    await processed(notifications, old.id)
    await notifications.contact("s-late", display_name="Lin")
    envelope = await notifications.publish(purchased("s-late", "m-renamed", renewal=True))

    mails = await mails_of(notifications, envelope.id, 1)
    assert mails["s-late"].subject == "Your pack with Grace Hopper is ready"
