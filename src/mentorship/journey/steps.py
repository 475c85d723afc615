"""The whole product, walked as its users meet it: each step acts through the gateway, checks
what every party sees (HTTP answers and delivered mail) and says in one line what happened.

The demo prints those lines; the journey test runs the same steps on a suite it starts itself.
"""

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from icalendar import Calendar

from mentorship.journey.actions import (
    DURATION,
    attend,
    book,
    calendar_feed,
    checkout,
    checkout_request,
    complete,
    credit_state,
    directory_card,
    expect,
    feed_events,
    first_slot,
    join_waitlist,
    live_seat,
    mails_about,
    one_receipt,
    open_slots,
    pack_of,
    page_text,
    pay,
    readable,
    receipts_of,
    seat_of,
    wait_for_mail,
    waitlist_place,
)
from mentorship.journey.cast import CAPACITY, MENTOR_HOURS, PRODUCT, Journey
from mentorship.journey.suite import JourneyFailed, Person, eventually

NOTICE_MINUTES = 60
# A German reader's refund: "Erstattung von 120,00 €", "… am Donnerstag, 2. April 2026, 10:00".
GERMAN_REFUND = re.compile(r"Erstattung von \d{1,3}(\.\d{3})*,\d{2} €")
GERMAN_DATE = re.compile(r"am (Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag), \d")


@dataclass(frozen=True)
class Step:
    title: str
    run: Callable[[Journey], str]


def save_profile(j: Journey, **rules: int) -> None:
    """The mentor's whole profile (a PUT replaces it), with booking `rules` if any."""
    m = j.cast.mentor
    profile = {
        "display_name": m.name,
        "title": "Staff engineer",
        "company": "Navy Labs",
        "bio": "Compilers, debugging and career growth.",
        "specialties": ["compilers", "career"],
        "job_family": "engineering",
        "years_experience": 20,
        "timezone": "Europe/Paris",
        "notice_minutes": NOTICE_MINUTES,
        "session_durations": [DURATION],
        "weekly_hours": MENTOR_HOURS,
    }
    j.suite.call("booking", "PUT", "/v1/mentors/me", as_=m, json={**profile, **rules})


def set_up_mentor(j: Journey) -> str:
    m = j.cast.mentor
    save_profile(j)
    for person in (m, *j.cast.students):
        contact = {"email": person.email, "display_name": person.name, "timezone": "Europe/Paris"}
        if person is j.cast.b:  # B reads German: mails, dates and amounts (decision 0035)
            contact["locale"] = "de"
        j.suite.call("notifications", "PUT", "/v1/contacts/me", as_=person, json=contact)
    j.suite.call(
        "packs",
        "PUT",
        f"/v1/mentors/{m.user_id}/capacity",
        as_=m,
        json={"capacity": CAPACITY},
    )
    product = j.suite.call("payments", "POST", "/v1/products", expect=201, as_=m, json=PRODUCT)
    j.product_id = product["product_id"]
    card = eventually(lambda: directory_card(j), what="the mentor in the search directory")
    expect(card["accepting_students"], f"a new mentor should accept students: {card}")
    return (
        f"{m.name}: 9-17 every day (Europe/Paris), capacity {CAPACITY}, "
        f"product {PRODUCT['sessions_count']} x {DURATION} min for "
        f"{PRODUCT['price_amount'] / 100:.2f} {PRODUCT['currency']}; listed in search; "
        f"{j.cast.b.name} reads German"
    )


def three_checkouts(j: Journey) -> str:
    a, b, c = j.cast.students
    order_a = checkout(j, a)
    checkout(j, b)
    page = j.suite.request(
        "payments",
        "GET",
        f"/v1/sandbox/checkout/{order_a['order_id']}",
        as_=a,
        headers={"Accept": "text/html"},
    )
    expect(page.status_code == 200, f"sandbox page: {page.status_code}")
    j.shown.append(f"sandbox checkout page: {order_a['redirect_url']}")
    j.shown.extend(f"  │ {line}" for line in page_text(page.text))
    j.suite.refused(
        "payments", "POST", "/v1/checkout", code="NO_SEAT_AVAILABLE", **checkout_request(j, c)
    )
    orders_of_c = j.suite.call("payments", "GET", "/v1/me/orders", as_=c)["items"]
    expect(not orders_of_c, f"the refused student has orders: {orders_of_c}")
    place = join_waitlist(j, c)  # instead of only a 409: first in line for a freed seat
    listed = j.suite.call(
        "packs", "GET", f"/v1/mentors/{j.cast.mentor.user_id}/waitlist", as_=j.cast.mentor
    )
    expect(place["position"] == 1, f"{c.name}'s place on the waitlist: {place}")
    expect([e["student_id"] for e in listed["entries"]] == [c.user_id], f"the list: {listed}")
    return (
        f"{a.name} and {b.name} hold the two seats; {c.name} refused with NO_SEAT_AVAILABLE, "
        "no order, no payment; she joins the waitlist, first in line (the mentor sees her)"
    )


def a_pays(j: Journey) -> str:
    a, b = j.cast.a, j.cast.b
    pack = pay(j, a, j.orders_of(a)[0])
    expect(pack["status"] == "active" and pack["remaining"] == 4, f"A's pack: {pack}")
    receipt = one_receipt(j, a, j.orders_of(a)[0])
    seat = live_seat(j, a)
    expect(seat["status"] == "active", f"A's seat: {seat}")
    wait_for_mail(j, a, "is ready")
    mentor_mail = wait_for_mail(j, j.cast.mentor, "New student")
    pay(j, b, j.orders_of(b)[0])
    card = eventually(
        lambda: (card := directory_card(j)) and not card["accepting_students"] and card,
        what="the directory showing the mentor full",
    )
    return (
        f"{a.name} paid: pack active with 4 credits, seat active, receipt {receipt}; mails: "
        f"{a.name} 'pack ready', mentor {mentor_mail['subject']!r}; {b.name} paid too; "
        f"directory: open seats {card['open_seats']}"
    )


def a_books(j: Journey) -> str:
    a, b = j.cast.a, j.cast.b
    slot = first_slot(j, viewer=a, after=timedelta(days=2))  # both reminders still ahead
    session = book(j, a, slot, "System design interview practice")
    starts = datetime.fromisoformat(session["starts_at"])
    for viewer in (None, b):
        near = (starts - timedelta(hours=1), starts + timedelta(hours=2))
        free = open_slots(j, *near, viewer=viewer)
        expect(
            all(s["starts_at"] != slot["starts_at"] for s in free),
            "a booked slot is still offered",
        )
    expect(credit_state(j, session, a) == "reserved", "the booking reserved no credit")
    rules = one_a_day(j, b, session)
    for person in (a, j.cast.mentor):
        mail = wait_for_mail(j, person, "Session booked")
        invites = [x for x in mail["attachments"] if x["content_type"] == "text/calendar"]
        expect(invites, f"no .ics in {person.name}'s confirmation")
        event = next(iter(Calendar.from_ical(invites[0]["content"]).walk("VEVENT")))
        expect(
            event.decoded("dtstart") == starts,
            f".ics starts {event.decoded('dtstart')}, session {starts}",
        )
    feed = calendar_feed(j, a)  # no OAuth: a secret URL any calendar app polls
    in_feed = feed_events(j, feed)
    expect(
        [str(e["uid"]) for e in in_feed] == [str(event["uid"])],
        f"the feed's events {[str(e['uid']) for e in in_feed]} vs the mailed {event['uid']}",
    )
    # The 24 h and the 10 min reminders, each once, as the suite's time reaches them.
    j.suite.set_clock(j.cast.admin, starts - timedelta(hours=24) + timedelta(minutes=1))
    wait_for_mail(j, a, "Reminder: session")
    j.suite.set_clock(j.cast.admin, starts - timedelta(minutes=9))
    wait_for_mail(j, a, "Reminder: session", count=2)
    j.suite.advance(j.cast.admin, "1m")
    reminders = [m["subject"] for m in mails_about(j, a, "Reminder: session")]
    expect(len(reminders) == 2, f"{len(reminders)} reminders instead of 2: {reminders}")
    return (
        f"{a.name} booked {readable(session['starts_at'])}; gone from availability for everyone; "
        f"{rules}; confirmation with a matching .ics to both, the same event in {a.name}'s "
        "calendar feed; reminders 24 h and 10 min before, once each"
    )


def one_a_day(j: Journey, other: Person, booked: dict[str, Any]) -> str:
    """The mentor allows one session a day: the booked day is offered no more, and a booking
    there is refused; then the rule is lifted again for the rest of the walk."""
    starts = datetime.fromisoformat(booked["starts_at"])
    later = open_slots(j, starts + timedelta(hours=1), starts + timedelta(hours=4), viewer=other)
    same_day = [s for s in later if s["starts_at"][:10] == booked["starts_at"][:10]]
    expect(same_day, "no free slot later on the booked day to try the rule with")
    save_profile(j, max_sessions_per_day=1)
    expect(
        not [s for s in open_slots(j, starts, starts + timedelta(hours=4)) if s in same_day],
        "a day at its limit is still offered",
    )
    j.suite.refused(
        "booking",
        "POST",
        "/v1/sessions",
        code="DAILY_LIMIT_REACHED",
        as_=other,
        headers={"Idempotency-Key": f"book-{uuid.uuid4()}"},
        json={
            "mentor_id": j.cast.mentor.user_id,
            "starts_at": same_day[0]["starts_at"],
            "duration_minutes": DURATION,
            "topic": "A second session that day",
        },
    )
    save_profile(j)
    return (
        f"at one session a day the day is offered no more and {other.name} is refused "
        "DAILY_LIMIT_REACHED (rule lifted again)"
    )


def video(j: Journey) -> str:
    a, b, m = j.cast.a, j.cast.b, j.cast.mentor
    session = j.sessions_of(a)[0]
    path = f"/v1/sessions/{session['session_id']}/token"
    for person in (a, m):
        token = j.suite.call("video", "POST", path, as_=person)
        expect(token["token"], f"no video token for {person.name}")
    j.suite.refused("video", "POST", path, code="NOT_A_PARTICIPANT", as_=b)
    return f"{a.name} and {m.name} got video tokens 9 min before; {b.name} refused"


def a_completes_pack(j: Journey) -> str:
    a = j.cast.a
    first = j.sessions_of(a)[0]
    complete(j, first)
    eventually(lambda: credit_state(j, first, a) == "consumed", what="first credit consumed")
    j.suite.call(
        "booking",
        "POST",
        f"/v1/sessions/{first['session_id']}/review",
        expect=201,
        as_=a,
        json={"rating": 5, "comment": "Sharp, kind and precise."},
    )
    attend(j, a, 2)
    attend(j, a, 3)
    wait_for_mail(j, a, "One session left")
    attend(j, a, 4)
    pack = eventually(
        lambda: (p := pack_of(j, a)[0])["status"] == "depleted" and p,
        what="A's pack depleted",
    )
    grace = wait_for_mail(j, a, "is kept until")
    seat = live_seat(j, a)
    expect(seat["status"] == "grace", f"A's seat not in grace: {seat}")
    return (
        f"4 sessions completed; 'one session left' after the third; pack {pack['status']}, "
        f"seat in grace; mail {grace['subject']!r}"
    )


def b_renews_in_grace(j: Journey) -> str:
    b = j.cast.b
    for number in range(1, 5):
        attend(j, b, number)
    eventually(lambda: (s := seat_of(j, b)) and s["status"] == "grace", what="B's seat in grace")
    order = checkout(j, b)
    pack = pay(j, b, order["order_id"])
    seat = live_seat(j, b)
    expect(seat["status"] == "active", f"B's seat after renewal: {seat}")
    expect(seat["grace_ends_at"] is None, "the renewed seat keeps a grace end")
    live = [p for p in pack_of(j, b) if p["status"] == "active"]
    expect(sum(p["remaining"] for p in live) == 4, f"B's credits do not stack: {live}")
    return f"{b.name} used 4 sessions, renewed in grace: same seat active, pack {pack['id'][:8]}"


def a_grace_ends(j: Journey) -> str:
    a = j.cast.a
    seat = live_seat(j, a)
    expect(seat["grace_ends_at"], f"A has no grace end: {seat}")
    ends = datetime.fromisoformat(seat["grace_ends_at"])
    j.suite.set_clock(j.cast.admin, ends - timedelta(hours=11))
    wait_for_mail(j, a, "Final reminder")
    expect(live_seat(j, a)["status"] == "grace", "released inside its grace")
    j.suite.set_clock(j.cast.admin, ends + timedelta(minutes=1))
    eventually(lambda: (s := seat_of(j, a)) is None or s["status"] == "released",
               what="A's seat released")  # fmt: skip
    wait_for_mail(j, a, "was released")
    warnings = len(mails_about(j, a, "Final reminder"))
    expect(warnings == 1, f"{warnings} final warnings instead of 1")
    c = j.cast.c  # first in line: the freed seat is held for her, and she takes it
    offer = eventually(
        lambda: (p := waitlist_place(j, c)) and p["status"] == "offered" and p,
        what=f"{c.name} offered the freed seat",
    )
    mail = wait_for_mail(j, c, "is free for you")
    pack = pay(j, c, checkout(j, c)["order_id"])
    expect(pack["status"] == "active", f"{c.name}'s pack on the offered seat: {pack}")
    expect(waitlist_place(j, c) is None, f"{c.name} still on the list after buying")
    return (
        f"final warning 12 h before the end, once; seat released at {readable(ends.isoformat())} "
        f"and held for {c.name}, first in line, until {readable(offer['offer_expires_at'])} "
        f"(mail {mail['subject']!r}); she checks out and pays on it"
    )


def refund_b(j: Journey) -> str:
    b = j.cast.b
    upcoming = book(j, b, first_slot(j, viewer=b), "after the renewal")
    order_id = j.orders_of(b)[-1]
    j.suite.call(
        "payments",
        "POST",
        f"/v1/orders/{order_id}/refunds",
        expect=201,
        as_=j.cast.admin,
        json={"reason": "requested_by_customer"},
    )
    session = eventually(
        lambda: (
            (s := j.suite.call("booking", "GET", f"/v1/sessions/{upcoming['session_id']}", as_=b))[
                "status"
            ]
            == "canceled"
            and s
        ),
        what="B's future session canceled by the refund",
    )
    refunded = eventually(
        lambda: [p for p in pack_of(j, b) if p["status"] == "refunded"],
        what="B's pack refunded",
    )[0]
    expect(refunded["remaining"] == 0, f"a refunded pack still offers credits: {refunded}")
    expect(credit_state(j, upcoming, b) == "void", "the canceled session's credit not voided")
    eventually(lambda: (s := seat_of(j, b)) is None or s["status"] == "released",
               what="B's seat released")  # fmt: skip
    card = eventually(
        lambda: (c := directory_card(j)) and c["accepting_students"] and c,
        what="the directory showing the mentor accepting students again",
    )
    profile = j.suite.call("booking", "GET", f"/v1/mentors/{j.cast.mentor.user_id}")
    expect(profile["review_count"] == 1, f"the review is not on the profile: {profile}")
    refund = wait_for_mail(j, b, "Erstattung von")  # B reads German (locale "de")
    expect(
        GERMAN_REFUND.fullmatch(refund["subject"]) and GERMAN_DATE.search(refund["text"] or ""),
        f"{b.name}'s refund mail is not in German formats: {refund['subject']!r}",
    )
    receipts = eventually(
        lambda: len(r := receipts_of(j, b, order_id)) == 2 and r,
        what=f"{b.name}'s credit note beside the order's receipt",
    )
    purchase, credit_note = receipts
    expect(credit_note["refers_to"] == purchase["number"], f"credit note: {credit_note}")
    wait_for_mail(j, b, f"Gutschrift {credit_note['number']}")
    return (
        f"refund: {b.name}'s {readable(session['starts_at'])} session canceled, credits void, "
        f"seat released; directory: accepting again, {card['open_seats']} open; "
        f"profile rating {profile['average_rating']} ({profile['review_count']} review); "
        f"mail in German: {refund['subject']!r}; credit note {credit_note['number']} for "
        f"{purchase['number']}"
    )


def reconcile(j: Journey) -> str:
    a, b, c = j.cast.students
    paid = 0
    for student in (a, b, c):
        for order_id in j.orders_of(student):
            status = j.suite.call("payments", "GET", f"/v1/orders/{order_id}", as_=student)[
                "status"
            ]
            paid += status in ("paid", "refunded", "partially_refunded")
    packs = len(pack_of(j, a)) + len(pack_of(j, b)) + len(pack_of(j, c))
    expect(paid == packs == 4, f"paid orders {paid} vs packs {packs} (expected 4 each)")
    consumed = sum(
        credit_state(j, s, j.cast.mentor) == "consumed"
        for student in (a, b)
        for s in j.sessions_of(student)
    )
    completed = sum(
        j.suite.call("booking", "GET", f"/v1/sessions/{s['session_id']}", as_=student)["status"]
        == "completed"
        for student in (a, b)
        for s in j.sessions_of(student)
    )
    expect(consumed == completed == 8, f"consumed credits {consumed} vs completed {completed}")
    total = 0
    for person in (a, b, c, j.cast.mentor):
        # A mail is received a moment before its delivery is recorded as sent: settle first.
        try:
            delivered, recorded = eventually(
                lambda person=person: (
                    (pair := mails_and_deliveries(j, person))[0] == pair[1] and pair
                ),
                what=f"{person.name}'s mails = their deliveries recorded as sent",
            )
        except JourneyFailed as exc:
            received, sent = mails_and_deliveries(j, person)
            raise JourneyFailed(f"{exc}: mails {received} vs sent {sent}") from exc
        total += len(recorded)
    resent = sum(j.resent_mails.values())
    return (
        f"4 paid orders = 4 packs; 8 completed sessions = 8 consumed credits; "
        f"{total} emails sent = {total} messages received"
        + (f" ({resent} resent after a crash, same Message-ID)" if resent else ", none twice")
    )


def mails_and_deliveries(j: Journey, person: Person) -> tuple[list[str], list[str]]:
    """The subjects of the messages `person` received, and of their email deliveries sent.

    A message is one Message-ID (one per delivery): a sender killed between the SMTP server's
    acceptance and its own record sends the same message again once its lease ends, and a
    mail client shows it once; `j.resent_mails` counts such copies.
    """
    deliveries = j.suite.call(
        "notifications", "GET", "/v1/me/notifications", as_=person, params={"limit": 100}
    )["items"]
    mails = j.suite.mails(to=person.email)
    messages = {str(m["message_id"]): str(m["subject"]) for m in mails}
    j.resent_mails[person.user_id] = len(mails) - len(messages)
    received = sorted(messages.values())
    sent = sorted(
        d["subject"] for d in deliveries if d["channel"] == "email" and d["status"] == "sent"
    )
    return received, sent


STEPS: tuple[Step, ...] = (
    Step("A mentor, her hours, capacity and product", set_up_mentor),
    Step("Three students check out", three_checkouts),
    Step("Payments become packs and seats", a_pays),
    Step("A booking, its invites and reminders", a_books),
    Step("Video inside the window", video),
    Step("Completions, renewal reminder, grace", a_completes_pack),
    Step("A renewal during grace", b_renews_in_grace),
    Step("Grace ends: final warning, seat released", a_grace_ends),
    Step("A refund undoes a pack", refund_b),
    Step("Everything reconciles", reconcile),
)
