"""`receipt.issued` mails the student once, in their language, with the receipt's links."""

import asyncio
import uuid
from datetime import UTC, datetime

from shared.messaging.events import Envelope, ReceiptIssued

ISSUED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def issued(student: str = "s1", **fields) -> ReceiptIssued:
    values = {
        "receipt_id": uuid.uuid4(),
        "number": "R-2026-000042",
        "kind": "purchase",
        "order_id": uuid.uuid4(),
        "student_id": student,
        "mentor_id": "m1",
        "amount": 40_000,
        "currency": "USD",
        "issued_at": ISSUED,
    } | fields
    return ReceiptIssued(**values)


async def test_a_receipt_delivered_five_times_mails_the_student_once_with_its_links(
    notifications, mail
):
    await notifications.contact("s1", display_name="Ada")
    await notifications.contact("m1", display_name="Grace")
    event = issued()
    envelope = Envelope.wrap(event, producer="payments")

    await asyncio.gather(
        *(
            notifications.publish(event, envelope=envelope, msg_id=f"{envelope.id}-{n}")
            for n in range(5)
        )
    )
    await notifications.settled(1, event_id=envelope.id)
    await asyncio.sleep(1.0)  # every redelivery had its chance

    [sent] = [m.message for m in mail.received]
    assert sent["To"] == "s1@example.com"  # the student only, never the mentor
    assert sent["Subject"].strip() == "Your receipt R-2026-000042"
    text = sent.get_body(("plain",)).get_content()
    link = f"http://127.0.0.1:8100/api/payments/v1/receipts/{event.receipt_id}"
    assert "Thank you for your payment of $400.00 for your pack with Grace." in text
    assert f"{link}.html" in text and f"{link}.pdf" in text
    assert [d.attempts for d in await notifications.deliveries(event_id=envelope.id)] == [1]


async def test_a_german_student_gets_the_credit_note_mail_in_german(notifications, mail):
    await notifications.contact("s-de", display_name="Lena", locale="de", timezone="Europe/Berlin")
    event = issued("s-de", kind="refund", number="C-2026-000007", amount=12_345, currency="EUR")

    envelope = await notifications.publish(event)
    await notifications.settled(1, event_id=envelope.id)

    [sent] = [m.message for m in mail.received]
    assert sent["Subject"].strip() == "Ihre Gutschrift C-2026-000007"
    text = sent.get_body(("plain",)).get_content()
    assert "Gutschrift C-2026-000007 über 123,45\xa0€" in text
    assert f"/api/payments/v1/receipts/{event.receipt_id}.pdf" in text
