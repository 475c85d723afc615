"""Messages from the Jinja2 template files, in the reader's language, zone and locale.

Each message is `<name>.txt` (subject, body, Discord blocks) and `<name>.html` in English, and
`<name>.<language>.txt|html` in each other language (`session_booked.de.txt`); the words the
templates share (greetings, people without a known name, labels of codes, the invite's text)
are macros in `_words.txt` / `_words.<language>.txt`, given to every template as `words`.
A reader's locale picks the language (`de-AT` → the `de` files, formatted for de-AT); a
language we do not write, an unknown locale or a missing file reads English (decision 0035).

Templates run in a sandbox and user-supplied text (names, topics, reasons) is only ever a
value, never template source; HTML templates autoescape it.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from babel import Locale
from jinja2 import (
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateNotFound,
    pass_context,
    select_autoescape,
)
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

from notifications.adapters.ics import session_invite
from notifications.domain.local_time import format_lead_time, format_local
from notifications.domain.locales import ENGLISH, bcp47, reading_locale
from notifications.domain.model import Invite
from notifications.domain.money import format_amount

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
_LINE_BREAKS = re.compile(r"\s+")
_TRANSLATED = re.compile(r"^[^.]+\.(?P<language>[a-z]{2,3})\.txt$")


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    discord: str
    language: str = "en"
    """The BCP 47 tag the message was written and formatted in (`de-AT`, or `en`)."""
    attachments: tuple[dict[str, Any], ...] = ()


class Renderer:
    def __init__(self, directory: Path = TEMPLATES) -> None:
        self._directory = directory
        self._word_sets: dict[str, SimpleNamespace] = {}
        self._env = SandboxedEnvironment(
            loader=FileSystemLoader(directory),
            autoescape=select_autoescape(enabled_extensions=("html",), default=False),
            undefined=StrictUndefined,
            trim_blocks=True,
        )
        self._env.filters["local"] = _local
        self._env.filters["money"] = _money
        self._env.filters["lead_time"] = _lead_time
        self._env.filters["sentence_start"] = _sentence_start

    @cached_property
    def _languages(self) -> tuple[str, ...]:
        found = {
            m["language"] for p in self._directory.iterdir() if (m := _TRANSLATED.match(p.name))
        }
        return ("en", *sorted(found - {"en"}))

    def languages(self) -> tuple[str, ...]:
        """English, then every language some template is written in."""
        return self._languages

    def render(
        self,
        template: str,
        *,
        facts: dict[str, Any],
        zone: str,
        locale: str = "en",
        invite: Invite | None = None,
    ) -> Rendered:
        """Subject, plain text and Discord text from the `.txt`, HTML from the `.html`, and the
        `.ics` of `invite`, all in the reader's language (English if it has no such file)."""
        reading = reading_locale(locale, languages=self._languages)
        text, reading = self._template(template, "txt", reading)
        html, _ = self._template(template, "html", reading)
        words = self._words(reading)
        values = {
            **facts,
            "zone": zone,
            "locale": reading,
            "lang": bcp47(reading),
            "words": words,
            "recipient": facts.get("recipient"),
            "counterpart": facts.get("counterpart") or words.someone(facts.get("audience")),
        }
        context = text.new_context(values)
        blocks = {name: "".join(text.blocks[name](context)) for name in text.blocks}
        attachments = () if invite is None else (self._invite(invite, values, words),)
        return Rendered(
            subject=_one_line(blocks["subject"]),
            text=blocks["body"].strip() + "\n",
            html=html.render(values),
            discord=blocks["discord"].strip(),
            language=values["lang"],
            attachments=attachments,
        )

    def _words(self, reading: Locale) -> SimpleNamespace:
        """The language's `_words` macros as plain-text functions: a macro's result would be
        marked safe in HTML, so it is made a plain `str` that an HTML template escapes like
        any value (a name in a greeting stays inert)."""
        template, _ = self._template("_words", "txt", reading)
        name = template.name or ""
        if name not in self._word_sets:
            module = template.module
            macros = {m: getattr(module, m) for m in dir(module) if not m.startswith("_")}
            self._word_sets[name] = SimpleNamespace(**{m: _plain(f) for m, f in macros.items()})
        return self._word_sets[name]

    def _template(self, name: str, suffix: str, reading: Locale) -> tuple[Template, Locale]:
        """`<name>.<language>.<suffix>` for the reader, else the English one, read in English
        (the reader's own English, `en-US`, where they read English anyway)."""
        if reading.language != "en":
            try:
                return self._env.get_template(f"{name}.{reading.language}.{suffix}"), reading
            except TemplateNotFound:
                reading = ENGLISH
        return self._env.get_template(f"{name}.{suffix}"), reading

    @staticmethod
    def _invite(invite: Invite, values: dict[str, Any], words: Any) -> dict[str, Any]:
        """The `.ics` the email carries, its summary and description in the mail's language."""
        content = session_invite(
            session_id=invite.session_id,
            starts_at=invite.starts_at,
            ends_at=invite.ends_at,
            summary=_one_line(str(words.invite_summary(invite.topic, values["counterpart"]))),
            description=str(words.invite_description(invite.join_url)).strip(),
            language=values["lang"],
            join_url=invite.join_url,
            sequence=invite.sequence,
            stamped_at=invite.stamped_at,
        )
        return {"filename": "session.ics", "content_type": "text/calendar", "content": content}


def _plain(macro: Callable[..., str]) -> Callable[..., str]:
    def call(*args: Any) -> str:
        return str(macro(*args))

    return call


def _moment(value: datetime | str) -> datetime:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


@pass_context
def _local(context: Context, moment: datetime | str) -> str:
    """`{{ starts_at | local }}`: the moment in the reader's zone and locale, the zone named."""
    return format_local(_moment(moment), context["zone"], context["locale"])


@pass_context
def _money(context: Context, minor_units: int, currency: str) -> str:
    """`{{ amount | money(currency) }}`: minor units in the currency's digits, for the locale."""
    return format_amount(minor_units, currency, context["locale"])


@pass_context
def _lead_time(context: Context, minutes: int) -> str:
    """`{{ offset_minutes | lead_time }}`: 'in 24 hours', 'in 24 Stunden'."""
    return format_lead_time(minutes, context["locale"])


def _sentence_start(text: str) -> str:
    """`{{ counterpart | sentence_start }}`: "your student" opens a sentence as "Your student";
    a name is left as written (unlike `capitalize`, which lowers the rest)."""
    return text[:1].upper() + text[1:]


def _one_line(text: str) -> str:
    """A subject is one header line, whatever the user-supplied parts contain."""
    return _LINE_BREAKS.sub(" ", text).strip()[:250]
