"""`waitlist.seat_offered` mails the offered student once: until when, and where to check out."""

import asyncio
import uuid
from datetime import UTC, datetime

from shared.messaging.events import Envelope, WaitlistSeatOffered

UNTIL = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)


async def test_an_offer_delivered_three_times_mails_the_student_once_with_the_checkout_link(
    notifications, mail
):
    await notifications.contact("s1", display_name="Ada", timezone="Europe/London")
    await notifications.contact("m1", display_name="Grace")
    offer = WaitlistSeatOffered(
        offer_id=uuid.uuid4(), mentor_id="m1", student_id="s1", expires_at=UNTIL
    )
    envelope = Envelope.wrap(offer, producer="packs")

    await asyncio.gather(
        *(
            notifications.publish(offer, envelope=envelope, msg_id=f"{envelope.id}-{n}")
            for n in range(3)
        )
    )
    await notifications.settled(1, event_id=envelope.id)
    await asyncio.sleep(1.0)  # every redelivery had its chance

    [sent] = [m.message for m in mail.received]
    assert sent["To"] == "s1@example.com"
    assert sent["Subject"].strip() == (
        "A seat with Grace is free for you until Tuesday 3 March 2026, 09:00 GMT (Europe/London)"
    )
    text = sent.get_body(("plain",)).get_content()
    assert "Check out here to take it: http://127.0.0.1:8100/mentors/m1/checkout" in text


async def test_a_german_student_is_offered_the_seat_in_german(notifications, mail):
    await notifications.contact("s-de", display_name="Lena", locale="de", timezone="Europe/Berlin")
    offer = WaitlistSeatOffered(
        offer_id=uuid.uuid4(), mentor_id="m1", student_id="s-de", expires_at=UNTIL
    )

    envelope = await notifications.publish(offer)
    await notifications.settled(1, event_id=envelope.id)

    [sent] = [m.message for m in mail.received]
    assert sent["Subject"].strip().startswith("Ein Platz bei Ihrem Mentor ist bis Dienstag")
    text = sent.get_body(("plain",)).get_content()
    assert text.startswith("Hallo Lena,")
    assert "10:00 MEZ (Europe/Berlin) für Sie reserviert" in text
