"""What one person does or sees through the gateway, for the journey's steps: check out and
pay, book and complete, read packs, seats, credits, the directory and their mail."""

import re
import uuid
from datetime import datetime, timedelta
from html import unescape
from typing import Any

from icalendar import Calendar

from mentorship.journey.cast import PRODUCT, Journey
from mentorship.journey.suite import JourneyFailed, Person, eventually

DURATION = PRODUCT["session_minutes"]


def expect(condition: object, message: str) -> None:
    if not condition:
        raise JourneyFailed(message)


def subjects(j: Journey, person: Person) -> list[str]:
    return [str(mail["subject"]) for mail in j.suite.mails(to=person.email)]


def mails_about(j: Journey, person: Person, words: str) -> list[dict[str, Any]]:
    return [m for m in j.suite.mails(to=person.email) if words in str(m["subject"])]


def wait_for_mail(j: Journey, person: Person, words: str, *, count: int = 1) -> dict[str, Any]:
    """The newest mail to `person` whose subject holds `words`, once `count` such have come."""
    found: list[dict[str, Any]] = eventually(
        lambda: (m := mails_about(j, person, words)) and len(m) >= count and m,
        what=f"{count} mail(s) to {person.name} with {words!r} (got {subjects(j, person)})",
    )
    return found[0]


def pack_of(j: Journey, student: Person) -> list[dict[str, Any]]:
    packs: list[dict[str, Any]] = j.suite.call("packs", "GET", "/v1/me/packs", as_=student)
    return [p for p in packs if p["mentor_id"] == j.cast.mentor.user_id]


def seat_of(j: Journey, student: Person) -> dict[str, Any] | None:
    seats = j.suite.call(
        "packs", "GET", f"/v1/mentors/{j.cast.mentor.user_id}/seats", as_=j.cast.mentor
    )["seats"]
    return next((s for s in seats if s["student_id"] == student.user_id), None)


def live_seat(j: Journey, student: Person) -> dict[str, Any]:
    seat = seat_of(j, student)
    expect(seat is not None, f"{student.name} has no seat with the mentor")
    assert seat is not None
    return seat


def directory_card(j: Journey) -> dict[str, Any] | None:
    found = j.suite.call(
        "search", "GET", "/v1/mentors/search", params={"q": j.cast.mentor.name, "per_page": 50}
    )
    return next((c for c in found["items"] if c["mentor_id"] == j.cast.mentor.user_id), None)


def first_slot(
    j: Journey, *, viewer: Person | None = None, after: timedelta = timedelta(0)
) -> dict[str, Any]:
    """The first free slot from `after` on (suite time)."""
    now = j.suite.now(j.cast.admin) + after
    slots = open_slots(j, now, now + timedelta(days=7), viewer=viewer)
    expect(slots, f"no free slot for {j.cast.mentor.name} in the coming week")
    return slots[0]


def open_slots(
    j: Journey, start: datetime, end: datetime, *, viewer: Person | None = None
) -> list[dict[str, Any]]:
    answer = j.suite.call(
        "booking",
        "GET",
        f"/v1/mentors/{j.cast.mentor.user_id}/availability",
        as_=viewer,
        params={"from": iso_z(start), "to": iso_z(end), "duration": DURATION},
    )
    slots: list[dict[str, Any]] = answer["slots"]
    return slots


def book(j: Journey, student: Person, slot: dict[str, Any], topic: str) -> dict[str, Any]:
    session: dict[str, Any] = j.suite.call(
        "booking",
        "POST",
        "/v1/sessions",
        expect=201,
        as_=student,
        headers={"Idempotency-Key": f"book-{uuid.uuid4()}"},
        json={
            "mentor_id": j.cast.mentor.user_id,
            "starts_at": slot["starts_at"],
            "duration_minutes": DURATION,
            "topic": topic,
        },
    )
    j.sessions_of(student).append(session)
    return session


def complete(j: Journey, session: dict[str, Any]) -> None:
    """Move the suite past the session's end and let its mentor mark it completed."""
    ends_at = datetime.fromisoformat(session["ends_at"])
    if j.suite.now(j.cast.admin) < ends_at:
        j.suite.set_clock(j.cast.admin, ends_at + timedelta(minutes=1))
    done = j.suite.call(
        "booking",
        "PATCH",
        f"/v1/instructor/sessions/{session['session_id']}",
        as_=j.cast.mentor,
        json={"status": "completed", "notes": "good progress"},
    )
    expect(done["status"] == "completed", f"session not completed: {done}")


def credit_state(j: Journey, session: dict[str, Any], viewer: Person) -> str:
    credit = j.suite.call(
        "packs", "GET", f"/v1/sessions/{session['session_id']}/credit", as_=viewer
    )
    return str(credit["status"])


def checkout_request(j: Journey, student: Person) -> dict[str, Any]:
    """A checkout of the mentor's product with the sandbox provider, as `student`."""
    return {
        "as_": student,
        "headers": {"Idempotency-Key": f"checkout-{uuid.uuid4()}"},
        "json": {"product_id": j.product_id, "provider": "sandbox"},
    }


def checkout(j: Journey, student: Person) -> dict[str, Any]:
    order: dict[str, Any] = j.suite.call(
        "payments", "POST", "/v1/checkout", expect=201, **checkout_request(j, student)
    )
    j.orders_of(student).append(order["order_id"])
    return order


def pay(j: Journey, student: Person, order_id: str) -> dict[str, Any]:
    """The sandbox's Pay button, pressed by the order's student; then the pack it brings."""
    before = {p["id"] for p in pack_of(j, student)}
    j.suite.call("payments", "POST", f"/v1/sandbox/checkout/{order_id}/pay", as_=student)
    paid = eventually(
        lambda: (
            j.suite.call("payments", "GET", f"/v1/orders/{order_id}", as_=student)["status"]
            == "paid"
        ),
        what=f"order {order_id} paid",
    )
    expect(paid, "order not paid")
    new: list[dict[str, Any]] = eventually(
        lambda: [p for p in pack_of(j, student) if p["id"] not in before],
        what=f"a new pack for {student.name}",
    )
    return new[0]


def attend(j: Journey, student: Person, number: int) -> dict[str, Any]:
    """Book the first free slot, then have it happen and be completed."""
    session = book(j, student, first_slot(j, viewer=student), f"Practice session {number}")
    complete(j, session)
    eventually(
        lambda: credit_state(j, session, student) == "consumed",
        what=f"{student.name}'s credit of session {number} consumed",
    )
    return session


def page_text(html: str) -> list[str]:
    """The visible lines of a small HTML page (its title, headings and paragraphs)."""
    blocks = re.findall(r"<(?:h1|h2|p|button)[^>]*>(.*?)</(?:h1|h2|p|button)>", html, re.S)
    lines = (" ".join(re.sub(r"<[^>]+>", " ", block).split()) for block in blocks)
    return [unescape(line) for line in lines if line]


def iso_z(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def readable(moment: str) -> str:
    return datetime.fromisoformat(moment).strftime("%a %d %b %H:%M UTC")


def receipts_of(j: Journey, student: Person, order_id: str) -> list[dict[str, Any]]:
    """The order's receipts (a purchase `R-…`, then any credit notes `C-…`), as its student."""
    found: list[dict[str, Any]] = j.suite.call(
        "payments", "GET", f"/v1/orders/{order_id}/receipts", as_=student
    )
    return found


def join_waitlist(j: Journey, student: Person) -> dict[str, Any]:
    place: dict[str, Any] = j.suite.call(
        "packs", "POST", f"/v1/mentors/{j.cast.mentor.user_id}/waitlist", expect=201, as_=student
    )
    return place


def waitlist_place(j: Journey, student: Person) -> dict[str, Any] | None:
    places = j.suite.call("packs", "GET", "/v1/me/waitlists", as_=student)
    return next((p for p in places if p["mentor_id"] == j.cast.mentor.user_id), None)


def calendar_feed(j: Journey, person: Person) -> str:
    """Open (or rotate) `person`'s private calendar feed; its path under /api/booking."""
    feed = j.suite.call("booking", "POST", "/v1/me/calendar-feed", expect=201, as_=person)
    url = str(feed["url"])
    return url.split("/api/booking", 1)[1]


def feed_events(j: Journey, path: str) -> list[Any]:
    """The VEVENTs a calendar app sees at the feed's secret path (no Authorization header)."""
    answer = j.suite.request("booking", "GET", path, headers={"Accept": "text/calendar"})
    expect(answer.status_code == 200, f"calendar feed: {answer.status_code} {answer.text[:200]}")
    return list(Calendar.from_ical(answer.content).walk("VEVENT"))


def one_receipt(j: Journey, student: Person, order_id: str) -> str:
    """The paid order's one receipt: readable by its student as JSON, HTML and PDF, mailed to
    them, and not to another student (404); its number."""
    receipts = eventually(lambda: receipts_of(j, student, order_id), what="the order's receipt")
    expect(len(receipts) == 1, f"a paid order has {len(receipts)} receipts")
    receipt = receipts[0]
    path = f"/v1/receipts/{receipt['receipt_id']}"
    pdf = j.suite.request("payments", "GET", f"{path}.pdf", as_=student)
    expect(pdf.content.startswith(b"%PDF"), f"the receipt's PDF: {pdf.status_code}")
    html = j.suite.request("payments", "GET", f"{path}.html", as_=student)
    expect(receipt["number"] in html.text, "the receipt's HTML does not show its number")
    stranger = next(s for s in j.cast.students if s is not student)
    j.suite.refused("payments", "GET", path, code="RECEIPT_NOT_FOUND", as_=stranger)
    wait_for_mail(j, student, receipt["number"])
    return str(receipt["number"])
