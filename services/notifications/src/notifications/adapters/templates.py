"""Messages from the Jinja2 template files, rendered in the recipient's time zone.

Templates run in a sandbox and user-supplied text (names, topics, reasons) is only ever a
value, never template source; HTML templates autoescape it.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

from notifications.domain.local_time import format_local

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
_LINE_BREAKS = re.compile(r"\s+")


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    discord: str


class Renderer:
    def __init__(self, directory: Path = TEMPLATES) -> None:
        self._env = SandboxedEnvironment(
            loader=FileSystemLoader(directory),
            autoescape=select_autoescape(enabled_extensions=("html",), default=False),
            undefined=StrictUndefined,
            trim_blocks=True,
        )
        self._env.filters["local"] = _local
        self._env.filters["sentence_start"] = _sentence_start

    def render(
        self, template: str, *, facts: dict[str, Any], zone: str, locale: str = "en"
    ) -> Rendered:
        """Subject, plain text and Discord text from `<template>.txt`, HTML from `.html`."""
        values = {**facts, "zone": zone, "locale": locale}
        text = self._env.get_template(f"{template}.txt")
        context = text.new_context(values)
        blocks = {name: "".join(text.blocks[name](context)) for name in text.blocks}
        html = self._env.get_template(f"{template}.html").render(values)
        return Rendered(
            subject=_one_line(blocks["subject"]),
            text=blocks["body"].strip() + "\n",
            html=html,
            discord=blocks["discord"].strip(),
        )


@pass_context
def _local(context: Context, moment: datetime | str) -> str:
    """`{{ starts_at | local }}`: the moment in the recipient's zone, the zone named."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return format_local(moment, context["zone"])


def _sentence_start(text: str) -> str:
    """`{{ counterpart | sentence_start }}`: "your student" opens a sentence as "Your student";
    a name is left as written (unlike `capitalize`, which lowers the rest)."""
    return text[:1].upper() + text[1:]


def _one_line(text: str) -> str:
    """A subject is one header line, whatever the user-supplied parts contain."""
    return _LINE_BREAKS.sub(" ", text).strip()[:250]
