"""`session.booked` changes nothing; it only checks that the session holds its credit."""

import uuid
from datetime import timedelta

from packs.service_layer.verify_booking import verify_booking
from shared.messaging.events import SessionBooked


def booked(app, session_id: uuid.UUID, pack_id: uuid.UUID) -> SessionBooked:
    starts_at = app.clock.now() + timedelta(days=2)
    return SessionBooked(
        session_id=session_id,
        mentor_id="m1",
        student_id="s1",
        pack_id=pack_id,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        join_url="https://x",
        mentor_timezone="Europe/Paris",
    )


async def test_a_booked_session_with_its_reserved_credit_checks_out(packs_app):
    pack_id = await packs_app.buy("s1", "m1")
    reserved = await packs_app.reserve("s1", "m1")
    assert await packs_app.run(verify_booking, booked(packs_app, reserved.session_id, pack_id))


async def test_a_booked_session_without_a_credit_is_flagged_and_changes_nothing(packs_app):
    pack_id = await packs_app.buy("s1", "m1")
    before = await packs_app.snapshot()
    assert not await packs_app.run(verify_booking, booked(packs_app, uuid.uuid4(), pack_id))
    assert await packs_app.snapshot() == before
