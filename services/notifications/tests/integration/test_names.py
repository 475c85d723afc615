"""Mails name people by their names: the mentor's profile name, the contact's own name, and
never an id when neither is known."""

import uuid
from datetime import UTC, datetime, timedelta

from shared.messaging.events import Envelope, MentorUpdated, PackPurchased
from shared.testing.helpers import eventually


def purchased(student: str, mentor: str) -> PackPurchased:
    return PackPurchased(
        pack_id=uuid.uuid4(),
        order_id=uuid.uuid4(),
        seat_id=uuid.uuid4(),
        student_id=student,
        mentor_id=mentor,
        sessions_total=4,
        session_minutes=60,
        expires_at=datetime.now(UTC) + timedelta(days=30),
        renewal=True,  # no onboarding mail
    )


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


async def test_a_pack_mail_names_the_mentor_by_their_profile_and_the_student_by_theirs(
    notifications,
):
    await notifications.contact("s-ada", display_name="Ada")
    await notifications.contact("m-grace")  # a contact without a name of its own
    await notifications.publish(profile("m-grace", "Grace"))
    await known_name(notifications, "m-grace", "Grace")

    envelope = await notifications.publish(purchased("s-ada", "m-grace"))
    mails = await mails_of(notifications, envelope.id, 2)

    student, mentor = mails["s-ada"], mails["m-grace"]
    assert student.subject == "Your pack with Grace is ready"
    assert student.body_text.startswith("Hi Ada,") and "m-grace" not in student.body_text
    assert "<strong>Grace</strong>" in student.body_html
    assert mentor.subject == "New student: Ada"
    assert mentor.body_text.startswith("Hi Grace,")
    assert "Ada bought a pack of 4 sessions" in mentor.body_text


async def test_without_any_name_a_mail_says_your_mentor_and_your_student_never_an_id(
    notifications,
):
    await notifications.contact("s-anon")
    await notifications.contact("m-anon")

    envelope = await notifications.publish(purchased("s-anon", "m-anon"))
    mails = await mails_of(notifications, envelope.id, 2)

    student, mentor = mails["s-anon"], mails["m-anon"]
    assert student.subject == "Your pack with your mentor is ready"
    assert student.body_text.startswith("Hi there,")
    assert mentor.subject == "New student"
    assert "Your student bought a pack" in mentor.body_text
    for mail in (student, mentor):
        assert "s-anon" not in mail.body_text + mail.subject + mail.body_html
        assert "m-anon" not in mail.body_text + mail.subject + mail.body_html


async def test_a_late_older_profile_event_does_not_bring_back_an_old_name(notifications):
    old = Envelope.wrap(profile("m-renamed", "Grace H."), producer="booking")
    new = Envelope.wrap(profile("m-renamed", "Grace Hopper"), producer="booking")
    assert old.occurred_at < new.occurred_at

    await notifications.publish(new.payload(), envelope=new)
    await known_name(notifications, "m-renamed", "Grace Hopper")
    await notifications.publish(old.payload(), envelope=old)
    await processed(notifications, old.id)
    await notifications.contact("s-late", display_name="Lin")
    envelope = await notifications.publish(purchased("s-late", "m-renamed"))

    mails = await mails_of(notifications, envelope.id, 1)
    assert mails["s-late"].subject == "Your pack with Grace Hopper is ready"
