"""Email over SMTP with aiosmtplib; the reply decides whether a failure is worth a retry."""

import contextlib
import socket
import time
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

import aiosmtplib

from notifications.domain.retries import Permanent, SendResult, Sent, Transient


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    sender: str
    username: str = ""
    password: str = ""
    start_tls: bool = False
    use_tls: bool = False
    timeout: float = 10.0
    cert_bundle: str = ""  # a CA bundle for a relay whose certificate a private CA signed


@dataclass(frozen=True)
class Email:
    message_id: str
    to: str
    subject: str
    text: str
    html: str
    attachments: list[dict[str, Any]]
    date: datetime


def build_message(email: Email, *, sender: str) -> EmailMessage:
    """A multipart/alternative (text + HTML) message with the attachments."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = email.to
    message["Subject"] = email.subject
    message["Message-ID"] = email.message_id
    message["Date"] = format_datetime(email.date)
    message.set_content(email.text)
    message.add_alternative(email.html, subtype="html")
    for attachment in email.attachments:
        maintype, _, subtype = attachment["content_type"].partition("/")
        message.add_attachment(
            attachment["content"].encode(),
            maintype=maintype,
            subtype=subtype,
            filename=attachment["filename"],
        )
    return message


class SmtpSender:
    """Sends over a few kept SMTP connections: one per concurrent send at most, each reused for
    the next mail (MAIL, RCPT, DATA; no connect, TLS, EHLO or login per mail, decision 0032).

    A connection that failed in any way is closed, never reused; one idle longer than
    `IDLE_CHECK_SECONDS` answers a NOOP before it carries a mail, else a fresh one is opened.
    """

    IDLE_CHECK_SECONDS = 10.0

    def __init__(self, config: SmtpConfig) -> None:
        self._config = config
        # aiosmtplib would look the name up for every connection's EHLO (~10 ms here).
        self._local_hostname = socket.getfqdn()
        self._idle: list[tuple[aiosmtplib.SMTP, float]] = []

    async def send(self, email: Email) -> SendResult:
        message = build_message(email, sender=self._config.sender)
        client: aiosmtplib.SMTP | None = None
        try:
            client = await self._connection()
            await client.send_message(message)
        except BaseException as exc:  # canceled at stop too: a half-used connection is closed
            if client is not None:
                client.close()
            if not isinstance(exc, Exception):
                raise
            return classify(exc)
        self._idle.append((client, time.monotonic()))
        return Sent(email.message_id)

    async def close(self) -> None:
        idle, self._idle = self._idle, []
        for client, _ in idle:
            with contextlib.suppress(Exception):
                await client.quit()
            client.close()

    async def _connection(self) -> aiosmtplib.SMTP:
        while self._idle:
            client, since = self._idle.pop()
            if client.is_connected and await _still_open(client, since, self.IDLE_CHECK_SECONDS):
                return client
            client.close()
        config = self._config
        client = aiosmtplib.SMTP(
            hostname=config.host,
            port=config.port,
            username=config.username or None,
            password=config.password or None,
            start_tls=config.start_tls,
            use_tls=config.use_tls,
            cert_bundle=config.cert_bundle or None,
            timeout=config.timeout,
            local_hostname=self._local_hostname,
        )
        try:
            await client.connect()
        except BaseException:  # refused, timed out, or canceled while the server stalls
            client.close()
            raise
        return client


async def _still_open(client: aiosmtplib.SMTP, since: float, idle_check: float) -> bool:
    if time.monotonic() - since < idle_check:
        return True
    try:
        await client.noop()
    except aiosmtplib.SMTPException:
        return False
    return True


def classify(exc: Exception) -> SendResult:
    """5xx about the mailbox or message: permanent; refused connections, 4xx, timeouts: retry."""
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        codes = [refusal.code for refusal in exc.recipients]
        error = "; ".join(f"{r.code} {r.message}" for r in exc.recipients)
        return Permanent(error) if codes and min(codes) >= 500 else Transient(error)
    if isinstance(exc, aiosmtplib.SMTPConnectResponseError | aiosmtplib.SMTPAuthenticationError):
        # The server, not this message, is the problem (busy, or our credentials are wrong).
        return Transient(f"{exc.code} {exc.message}")
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        error = f"{exc.code} {exc.message}"
        return Permanent(error) if exc.code >= 500 else Transient(error)
    return Transient(f"{exc.__class__.__name__}: {exc}")
