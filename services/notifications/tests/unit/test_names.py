"""Mails name people by their names: the mentor's profile name, the contact's own name, and
never an id when neither is known (decision 0018), on the fake unit of work."""

from datetime import timedelta

from notifications.service_layer.mentor_names import remember_mentor_name
from shared.messaging.events import MentorUpdated

from .builders import NOW, a_contact, purchased
from .test_planning import announced


async def test_a_pack_mail_names_the_mentor_by_their_profile_and_the_student_by_theirs(uow, deps):
    a_contact(uow, "s-ada", display_name="Ada")
    a_contact(uow, "m-grace", display_name="G. H. (contact)")
    profile = MentorUpdated(mentor_id="m-grace", display_name=" Grace ", timezone="Europe/Paris")
    await remember_mentor_name(profile, occurred_at=NOW, uow=uow)

    await announced(purchased("s-ada", "m-grace", renewal=True), uow=uow, deps=deps)

    mails = {d.recipient: d for d in uow.deliveries.all()}
    student, mentor = mails["s-ada"], mails["m-grace"]
    assert student.subject == "Your pack with Grace is ready"
    assert (student.body_text or "").startswith("Hi Ada,")
    assert "<strong>Grace</strong>" in (student.body_html or "")
    assert mentor.subject == "New student: Ada"
    assert (mentor.body_text or "").startswith("Hi Grace,")


async def test_without_any_name_a_mail_says_your_mentor_and_your_student_never_an_id(uow, deps):
    a_contact(uow, "s-anon")
    a_contact(uow, "m-anon")

    await announced(purchased("s-anon", "m-anon", renewal=True), uow=uow, deps=deps)

    mails = {d.recipient: d for d in uow.deliveries.all()}
    student, mentor = mails["s-anon"], mails["m-anon"]
    assert student.subject == "Your pack with your mentor is ready"
    assert (student.body_text or "").startswith("Hi there,")
    assert mentor.subject == "New student"
    for mail in (student, mentor):
        seen = f"{mail.subject}{mail.body_text}{mail.body_html}"
        assert "s-anon" not in seen and "m-anon" not in seen


async def test_a_blank_profile_name_keeps_the_known_one(uow):
    for name, at in (("Grace", NOW), ("  ", NOW + timedelta(minutes=1))):
        event = MentorUpdated(mentor_id="m1", display_name=name, timezone="UTC")
        await remember_mentor_name(event, occurred_at=at, uow=uow)

    assert await uow.names.get_many({"m1"}) == {"m1": "Grace"}
