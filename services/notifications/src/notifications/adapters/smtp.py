"""Email over SMTP with aiosmtplib; the reply decides whether a failure is worth a retry."""

import socket
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
    def __init__(self, config: SmtpConfig) -> None:
        self._config = config
        # aiosmtplib would look the name up for every connection's EHLO (~10 ms here).
        self._local_hostname = socket.getfqdn()

    async def send(self, email: Email) -> SendResult:
        config = self._config
        try:
            await aiosmtplib.send(
                build_message(email, sender=config.sender),
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
        except Exception as exc:
            return classify(exc)
        return Sent(email.message_id)


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
