"""A real local SMTP server (aiosmtpd) for the run command, the tests and the benchmark.

Every message it accepts is kept in memory and, given a directory, written there as an
`.eml` file; `read_mailbox` reads such a directory back (text, HTML, attachments).
"""

import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from shared.embedded.ports import free_port, port_is_open

DEV_PORT = 1025


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    at: float = field(default_factory=time.perf_counter)  # when the server accepted it

    @property
    def message(self) -> EmailMessage:
        return describe_message(self.raw)


@dataclass
class SinkHandler:
    """aiosmtpd handler: accepts every mailbox except `unknown` ones (550)."""

    directory: Path | None = None
    unknown: set[str] = field(default_factory=set)
    received: list[Received] = field(default_factory=list)
    on_message: Callable[[Received], None] | None = None
    _counter: "itertools.count[int]" = field(default_factory=itertools.count)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(  # noqa: N802
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if address.lower() in self.unknown:
            return "550 5.1.1 unknown mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        raw = envelope.original_content or envelope.content
        received = Received(envelope.mail_from, list(envelope.rcpt_tos), raw)
        with self._lock:
            self.received.append(received)
            number = next(self._counter)
        if self.on_message is not None:
            self.on_message(received)
        if self.directory is not None:
            name = f"{time.strftime('%Y%m%dT%H%M%S')}-{number:06d}.eml"
            (self.directory / name).write_bytes(raw)
        return "250 Message accepted for delivery"


class MailSink:
    """A running SMTP server on loopback; `stop()` closes it."""

    def __init__(self, handler: SinkHandler, *, host: str, port: int, **smtp: Any) -> None:
        """`smtp`: aiosmtpd's SMTP options (tls_context, require_starttls, authenticator…)."""
        self.handler = handler
        self.host = host
        self.port = port
        self._controller = Controller(handler, hostname=host, port=port, **smtp)

    @property
    def directory(self) -> Path | None:
        return self.handler.directory

    def service_env(self) -> dict[str, str]:
        """The notifications settings that send to this sink and read its directory."""
        env = {"NOTIFICATIONS_SMTP_HOST": self.host, "NOTIFICATIONS_SMTP_PORT": str(self.port)}
        if self.directory is not None:
            env["NOTIFICATIONS_DEV_MAIL_DIR"] = str(self.directory)
        return env

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def start(self) -> "MailSink":
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def __enter__(self) -> "MailSink":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start(
    *,
    host: str = "127.0.0.1",
    port: int | None = None,
    directory: Path | None = None,
    unknown: set[str] | None = None,
    **smtp: Any,
) -> MailSink:
    """Start a sink (on a free port unless given); `.eml` files go to `directory` if set."""
    if directory is not None:
        directory.mkdir(parents=True, exist_ok=True)
    handler = SinkHandler(directory=directory, unknown={a.lower() for a in unknown or ()})
    return MailSink(handler, host=host, port=port or free_port(host), **smtp).start()


def start_dev(directory: Path, *, host: str = "127.0.0.1") -> MailSink:
    """The run command's sink: port 1025 when free (the settings' default), else any port."""
    port = DEV_PORT if not port_is_open(host, DEV_PORT) else None
    return start(host=host, port=port, directory=directory)


def describe_message(raw: bytes) -> EmailMessage:
    """Parse with the modern policy, whose messages are `EmailMessage`s."""
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def describe(raw: bytes) -> dict[str, Any]:
    """A message as the dev endpoint shows it: headers, text, HTML and attachments."""
    message = describe_message(raw)
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    return {
        "message_id": message["Message-ID"],
        "from": message["From"],
        "to": message["To"],
        # A long subject is folded right after "Subject:" and Python's parser keeps the
        # leading space of the unfolded value; a mail client shows it without.
        "subject": str(message["Subject"] or "").strip(),
        "date": message["Date"],
        "text": text.get_content() if text is not None else None,
        "html": html.get_content() if html is not None else None,
        "attachments": [
            {
                "filename": part.get_filename(),
                "content_type": part.get_content_type(),
                "content": _as_text(part.get_content()),
            }
            for part in message.iter_attachments()
        ],
    }


def read_mailbox(directory: Path, *, limit: int = 100) -> list[dict[str, Any]]:
    """The newest `limit` messages of a sink's directory, newest first."""
    if not directory.is_dir():
        return []
    files = sorted(directory.glob("*.eml"), reverse=True)[:limit]
    return [{"file": path.name, **describe(path.read_bytes())} for path in files]


def _as_text(content: object) -> str:
    return content.decode(errors="replace") if isinstance(content, bytes) else str(content)
