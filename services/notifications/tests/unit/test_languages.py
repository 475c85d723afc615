"""Mails in the reader's language: German templates for a German locale (de-AT and de_CH too),
dates and amounts formatted by Babel for the locale, English for anything else; no servers."""

import uuid
from datetime import UTC, datetime, timedelta

import icalendar
import pytest

from notifications.adapters.templates import TEMPLATES, Rendered, Renderer
from notifications.domain.locales import bcp47, parse_tag, reading_locale
from notifications.domain.model import Invite
from notifications.service_layer.dependencies import Policy
from notifications.service_layer.notices import notices_for

from .test_templates import NOW, one_of_each

TRANSLATIONS = ("de",)
STARTS = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # 10:00 in Berlin, CET
PAYMENTS = "https://app.example/api/payments"
PEOPLE = {
    "recipient": "Ada",
    "counterpart": "Grace",
    "connect_url": "https://app/discord",
    "payments_url": PAYMENTS,
}


def render(template: str, *, locale: str, zone: str = "Europe/Berlin", **facts):
    values = {"audience": "student", "counterpart_named": True, **PEOPLE, **facts}
    return plain(Renderer().render(template, facts=values, zone=zone, locale=locale))


def plain(mail: Rendered) -> Rendered:
    """The message with Babel's no-break spaces (`123,45\xa0€`, `10:00\u202fAM`) as spaces."""
    return Rendered(
        **{
            name: value.replace("\xa0", " ").replace("\u202f", " ")
            if isinstance(value, str)
            else value
            for name, value in vars(mail).items()
        }
    )


def refund(amount: int = 12_345, currency: str = "EUR", **fields) -> dict:
    return {"amount": amount, "currency": currency, "full": False, "refunded_at": STARTS} | fields


def booking() -> dict:
    return {
        "starts_at": STARTS.isoformat(),
        "ends_at": (STARTS + timedelta(hours=1)).isoformat(),
        "join_url": "https://video.example.com/s/1",
        "topic": "",
    }


def test_a_german_reader_gets_a_german_mail_with_german_date_and_amount():
    mail = render("payment_refunded", locale="de", **refund())

    assert mail.subject == "Erstattung von 123,45 €"
    assert mail.text.startswith("Hallo Ada,")
    assert "am Montag, 2. März 2026, 10:00 MEZ (Europe/Berlin)" in mail.text
    assert "(eine Teilerstattung)" in mail.text
    assert '<html lang="de">' in mail.html and "123,45 €" in mail.html
    assert mail.discord == "Erstattung von 123,45 € für Ihr Paket bei Grace."


def test_an_english_reader_sees_the_currency_symbol_and_the_same_dates_as_before():
    mail = render("payment_refunded", locale="en", **refund())

    assert mail.subject == "Refund of €123.45"
    assert mail.text.startswith("Hi Ada,")
    assert "on Monday 2 March 2026, 10:00 CET (Europe/Berlin)" in mail.text
    assert '<html lang="en">' in mail.html


@pytest.mark.parametrize(
    ("locale", "amount", "currency", "shown"),
    [
        ("en", 12_345, "USD", "$123.45"),
        ("de", 12_345, "USD", "123,45 $"),
        ("en", 1_234, "JPY", "¥1,234"),  # no minor unit: 1,234 yen, not 12.34
        ("de", 1_234, "JPY", "1.234 ¥"),
        ("de", 12_345, "BHD", "12,345 BHD"),  # three decimals
        ("de-CH", 12_345, "CHF", "CHF 123.45"),
        ("de-AT", 12_345, "EUR", "€ 123,45"),
    ],
)
def test_an_amount_in_minor_units_reads_in_the_currency_digits_for_the_locale(
    locale, amount, currency, shown
):
    mail = render("payment_refunded", locale=locale, **refund(amount, currency))

    assert shown in mail.subject.replace("\xa0", " ")


@pytest.mark.parametrize("locale", ["de-AT", "de_AT", "de-CH", "de_ch", "DE"])
def test_a_regional_german_locale_falls_back_to_the_german_templates(locale):
    mail = render("payment_refunded", locale=locale, **refund())

    assert mail.subject.startswith("Erstattung von")
    assert mail.language == bcp47(parse_tag(locale))


def test_an_austrian_reader_reads_the_month_the_austrian_way():
    january = datetime(2026, 1, 12, 9, 0, tzinfo=UTC)

    austrian = render("payment_refunded", locale="de-AT", **refund(refunded_at=january))
    german = render("payment_refunded", locale="de", **refund(refunded_at=january))

    assert "Montag, 12. Jänner 2026, 10:00" in austrian.text
    assert "Montag, 12. Januar 2026, 10:00" in german.text


@pytest.mark.parametrize("locale", ["fr", "ja", "xx", "", "not a locale", "en-US-x-private"])
def test_a_language_without_templates_or_an_unknown_locale_reads_english(locale):
    mail = render("payment_refunded", locale=locale, **refund())

    assert mail.subject == "Refund of €123.45"
    assert "Monday 2 March 2026" in mail.text  # formatted in English too, never "lundi"
    assert mail.language == "en"


def test_an_american_reader_gets_american_dates():
    mail = render("payment_refunded", locale="en-US", **refund())

    assert "Monday, March 2, 2026, 10:00 AM CET (Europe/Berlin)" in mail.text
    assert mail.language == "en-US"


def test_a_template_without_a_translation_falls_back_to_english_in_english_formats(tmp_path):
    for name in ("_words.txt", "_words.de.txt", "_layout.html"):
        (tmp_path / name).write_text((TEMPLATES / name).read_text())
    for suffix in ("txt", "html"):
        source = TEMPLATES / f"payment_refunded.{suffix}"
        (tmp_path / f"payment_refunded.{suffix}").write_text(source.read_text())

    renderer = Renderer(tmp_path)
    facts = {"audience": "student", "counterpart_named": True, **PEOPLE, **refund()}
    mail = renderer.render("payment_refunded", facts=facts, zone="Europe/Berlin", locale="de")

    assert mail.subject == "Refund of €123.45"
    assert "Monday 2 March 2026" in mail.text and mail.language == "en"


def test_every_template_has_a_german_twin_for_text_and_html():
    english = {
        p.name.split(".")[0]
        for p in TEMPLATES.iterdir()
        if p.suffix in (".txt", ".html") and p.name.count(".") == 1 and p.name != "_layout.html"
    }
    for language in TRANSLATIONS:
        translated = {p.name.split(".")[0] for p in TEMPLATES.glob(f"*.{language}.*")}
        assert translated == english, language
        for name in english - {"_words"}:
            assert (TEMPLATES / f"{name}.{language}.txt").exists()
            assert (TEMPLATES / f"{name}.{language}.html").exists()


@pytest.mark.parametrize("event", one_of_each(), ids=lambda e: e.subject)
@pytest.mark.parametrize("audience_named", [True, False], ids=["named", "unnamed"])
def test_each_notice_renders_in_german_for_both_audiences(event, audience_named):
    renderer = Renderer()
    for notice in notices_for(event, now=NOW):
        facts = {**notice.facts, "audience": notice.audience.value, "connect_url": "https://d"}
        facts["payments_url"] = PAYMENTS
        facts["checkout_url"] = "https://app.example/mentors/m1/checkout"
        named = {"recipient": "Ada", "counterpart": "Grace", "counterpart_named": True}
        unnamed = {"recipient": None, "counterpart": None, "counterpart_named": False}
        facts |= named if audience_named else unnamed
        mail = renderer.render(notice.template, facts=facts, zone="Europe/Berlin", locale="de")

        assert mail.language == "de"
        greeting = "Hallo Ada," if audience_named else "Guten Tag,"
        assert mail.text.startswith(greeting) and greeting in mail.html
        assert '<html lang="de">' in mail.html
        seen = f"{mail.subject} {mail.text} {mail.discord}".replace("session.ics", "")
        for english in ("Hi ", " your ", "Your ", " the ", "session", " with "):
            assert english not in seen, english
        if not audience_named:
            assert "None" not in seen and ("Ihrem " in seen or notice.counterpart is None)


def test_an_unknown_person_is_named_by_their_role_in_the_readers_language():
    unnamed = {"recipient": None, "counterpart": None, "counterpart_named": False}
    german = Renderer().render(
        "seat_grace_started",
        facts={"audience": "student", "grace_ends_at": STARTS.isoformat(), **unnamed},
        zone="UTC",
        locale="de",
    )
    english = Renderer().render(
        "seat_grace_started",
        facts={"audience": "student", "grace_ends_at": STARTS.isoformat(), **unnamed},
        zone="UTC",
        locale="en",
    )

    assert german.subject.startswith("Ihr Platz bei Ihrem Mentor bleibt bis Montag, 2. März")
    assert english.subject.startswith("Your seat with your mentor is kept until Monday 2 March")
    assert german.text.startswith("Guten Tag,") and english.text.startswith("Hi there,")


def test_a_reminder_says_when_the_session_starts_in_the_readers_words():
    at = {"starts_at": STARTS.isoformat()}
    german = {
        m: render("session_reminder_due", locale="de", offset_minutes=m, **at)
        for m in (10, 60, 1440, 2880)
    }
    english = {
        m: render("session_reminder_due", locale="en", offset_minutes=m, **at)
        for m in (10, 60, 1440, 2880)
    }

    assert "beginnt in 10 Minuten: Montag, 2. März 2026, 10:00 MEZ" in german[10].text
    assert "beginnt in 1 Stunde:" in german[60].text
    assert "beginnt in 24 Stunden:" in german[1440].text
    assert "beginnt in 2 Tagen:" in german[2880].text
    assert "starts in 10 minutes:" in english[10].text
    assert "starts in 1 hour:" in english[60].text
    assert "starts in 24 hours:" in english[1440].text
    assert "starts in 2 days:" in english[2880].text


def test_a_cancellation_and_a_released_seat_say_who_and_why_in_german():
    canceled = render(
        "session_canceled",
        locale="de",
        canceled_by="student",
        late=True,
        reason="krank",
        starts_at=STARTS.isoformat(),
    )
    released = render("seat_released", locale="de", reason="grace_over", audience="mentor")

    assert "wurde vom Mentee abgesagt" in canceled.text and "Grund: krank" in canceled.text
    assert "das Guthaben der Sitzung ist verbraucht" in canceled.text
    assert "die Kulanzfrist endete ohne Verlängerung" in released.text


def _invite(topic: str = "") -> Invite:
    return Invite(
        session_id=uuid.uuid4(),
        starts_at=STARTS,
        ends_at=STARTS + timedelta(hours=1),
        topic=topic,
        join_url="https://video.example.com/s/1",
        sequence=0,
        stamped_at=NOW,
    )


def test_the_ics_invite_of_a_german_reader_has_a_german_summary_and_description():
    facts = {"audience": "student", "counterpart_named": True, **PEOPLE, **booking()}
    german = Renderer().render(
        "session_booked", facts=facts, zone="Europe/Berlin", locale="de-AT", invite=_invite()
    )
    english = Renderer().render(
        "session_booked", facts=facts, zone="Europe/Berlin", locale="en", invite=_invite()
    )

    [de_attachment] = german.attachments
    [de_event] = icalendar.Calendar.from_ical(de_attachment["content"]).walk("VEVENT")
    [en_event] = icalendar.Calendar.from_ical(english.attachments[0]["content"]).walk("VEVENT")
    assert de_attachment["filename"] == "session.ics"
    assert str(de_event["summary"]) == "Mentoring-Sitzung mit Grace"
    assert de_event["summary"].params["LANGUAGE"] == "de-AT"
    assert str(de_event["description"]) == "Teilnehmen: https://video.example.com/s/1"
    assert str(en_event["summary"]) == "Mentorship session with Grace"
    assert str(en_event["description"]) == "Join: https://video.example.com/s/1"
    assert german.subject.startswith("Sitzung mit Grace gebucht: Montag, 2. März 2026, 10:00")


def test_a_topic_is_the_invite_summary_in_every_language():
    facts = {"audience": "student", "counterpart_named": True, **PEOPLE, **booking()}
    mail = Renderer().render(
        "session_booked", facts=facts, zone="UTC", locale="de", invite=_invite("Rekursion")
    )

    [event] = icalendar.Calendar.from_ical(mail.attachments[0]["content"]).walk("VEVENT")
    assert str(event["summary"]) == "Rekursion"


@pytest.mark.parametrize(
    ("tag", "canonical"),
    [
        ("de", "de"),
        ("de-AT", "de-AT"),
        ("de_CH", "de-CH"),
        ("DE-at", "de-AT"),
        ("zh-Hant-TW", "zh-Hant-TW"),
        ("pt_BR", "pt-BR"),
        ("en", "en"),
    ],
)
def test_a_locale_tag_is_read_by_babel_and_kept_in_bcp_47_form(tag, canonical):
    assert bcp47(parse_tag(tag)) == canonical


@pytest.mark.parametrize("tag", ["xx", "en-", "de--AT", "de_AT-x", "tlh", "1234", "", "de AT"])
def test_a_tag_babel_cannot_read_is_refused(tag):
    with pytest.raises(ValueError, match="locale"):
        parse_tag(tag)


def test_reading_an_unknown_or_untranslated_locale_is_english():
    written = ("en", "de")
    assert str(reading_locale("de_CH", languages=written)) == "de_CH"
    assert str(reading_locale("fr-FR", languages=written)) == "en"
    assert str(reading_locale("not-a-locale", languages=written)) == "en"
    assert str(reading_locale(None, languages=written)) == "en"


def test_the_renderer_lists_the_languages_it_writes():
    assert Renderer().languages() == ("en", *TRANSLATIONS)


def test_a_name_in_a_german_greeting_stays_inert_in_html():
    facts = {"audience": "student", "counterpart_named": True, **refund()}
    facts |= {"recipient": "<img src=x onerror=alert(1)>", "counterpart": "<b>Grace</b>"}
    mail = Renderer().render("payment_refunded", facts=facts, zone="UTC", locale="de")

    assert "<img" not in mail.html and "Hallo &lt;img src=x onerror=alert(1)&gt;," in mail.html
    assert "<b>" not in mail.html and mail.text.startswith("Hallo <img src=x onerror=alert(1)>,")


def receipt(kind: str = "purchase", **fields) -> dict:
    values = {
        "receipt_id": "7a3c6f0e-0000-4000-8000-000000000042",
        "number": "R-2026-000042" if kind == "purchase" else "C-2026-000007",
        "kind": kind,
        "amount": 12_345,
        "currency": "EUR",
        "issued_at": STARTS.isoformat(),
    }
    return values | fields


def test_a_receipt_mail_names_the_number_amount_and_links_to_the_html_and_pdf():
    mail = render("receipt_issued", locale="en", zone="UTC", **receipt())
    links = f"{PAYMENTS}/v1/receipts/7a3c6f0e-0000-4000-8000-000000000042"

    assert mail.subject == "Your receipt R-2026-000042"
    assert "Thank you for your payment of €123.45 for your pack with Grace." in mail.text
    assert f"Read it: {links}.html" in mail.text and f"PDF: {links}.pdf" in mail.text
    assert f'href="{links}.pdf"' in mail.html and "R-2026-000042" in mail.html
    assert "Monday 2 March 2026" in mail.text


def test_a_german_reader_gets_the_receipt_and_a_credit_note_in_german():
    purchase = render("receipt_issued", locale="de", **receipt())
    refund = render("receipt_issued", locale="de", **receipt("refund", amount=5_000))

    assert purchase.subject == "Ihre Quittung R-2026-000042"
    assert "Zahlung von 123,45 € für Ihr Paket bei Grace" in purchase.text
    assert "Ausgestellt am Montag, 2. März 2026, 10:00 MEZ (Europe/Berlin)" in purchase.text
    assert refund.subject == "Ihre Gutschrift C-2026-000007"
    assert "Gutschrift C-2026-000007 über 50,00 €" in refund.text
    assert '<html lang="de">' in refund.html and "Als PDF herunterladen" in refund.html


def test_a_waitlist_offer_says_until_when_the_seat_is_held_and_links_to_the_checkout():
    offer = {"expires_at": STARTS.isoformat(), "checkout_url": "https://app.example/m/checkout"}

    english = render("waitlist_seat_offered", locale="en", **offer)
    german = render("waitlist_seat_offered", locale="de", **offer)

    assert english.subject == (
        "A seat with Grace is free for you until Monday 2 March 2026, 10:00 CET (Europe/Berlin)"
    )
    assert "Check out here to take it: https://app.example/m/checkout" in english.text
    assert 'href="https://app.example/m/checkout"' in english.html
    assert german.subject == (
        "Ein Platz bei Grace ist bis Montag, 2. März 2026, 10:00 MEZ (Europe/Berlin) für Sie frei"
    )
    assert "Hier buchen Sie ihn: https://app.example/m/checkout" in german.text
    assert "nächste Person auf der Warteliste" in german.html


def test_the_checkout_link_names_the_offered_mentor():
    policy = Policy(mentor_checkout_url="https://app.example/mentors/{mentor_id}/checkout")

    assert policy.checkout_link("m 1/x") == "https://app.example/mentors/m%201%2Fx/checkout"
