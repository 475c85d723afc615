"""`mentorship mail`: the dev sink's messages as a table, newest first, and one opened."""

import smtplib
import time
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mentorship.cli import app
from notifications.adapters import mail_sink

runner = CliRunner()


def send(sink: mail_sink.MailSink, *, to: str, subject: str, text: str, ics: bool = False):
    message = EmailMessage()
    message["From"] = "Mentorship <no-reply@mentorship.localhost>"
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime(2026, 12, 4, 9, 30, tzinfo=UTC))
    message.set_content(text)
    message.add_alternative(f"<p>{text}</p>", subtype="html")
    if ics:
        message.add_attachment(
            "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", subtype="calendar", filename="session.ics"
        )
    with smtplib.SMTP(sink.host, sink.port) as smtp:
        smtp.send_message(message)


@pytest.fixture
def mailbox(tmp_path: Path) -> Path:
    folder = tmp_path / "mail"
    with mail_sink.start(directory=folder) as sink:
        send(sink, to="ada@example.com", subject="Your pack with Grace is ready", text="Hi Ada")
        time.sleep(1.05)  # file names start with the second they arrived
        send(sink, to="grace@example.com", subject="Session booked", text="Hi Grace", ics=True)
    return folder


def ids(folder: Path) -> list[str]:
    return sorted((p.stem for p in folder.glob("*.eml")), reverse=True)


def test_mail_lists_recipient_subject_and_time_newest_first(mailbox: Path) -> None:
    result = runner.invoke(app, ["mail", "--dir", str(mailbox)])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    [newest] = [n for n, line in enumerate(lines) if "grace@example.com" in line]
    [oldest] = [n for n, line in enumerate(lines) if "ada@example.com" in line]
    assert newest < oldest
    assert "Session booked" in lines[newest] and "session.ics" in lines[newest]
    assert "Your pack with Grace is ready" in lines[oldest]
    assert "2026-12-04 09:30:00 +0000" in lines[oldest]
    assert ids(mailbox)[0] in lines[newest]


def test_mail_limit_shows_only_the_newest(mailbox: Path) -> None:
    result = runner.invoke(app, ["mail", "--limit", "1", "--dir", str(mailbox)])

    assert result.exit_code == 0, result.output
    assert "grace@example.com" in result.output and "ada@example.com" not in result.output
    assert "1 of 2" in result.output


def test_mail_show_prints_one_message_text_and_its_attachments(mailbox: Path) -> None:
    newest = ids(mailbox)[0]

    result = runner.invoke(app, ["mail", "show", newest, "--dir", str(mailbox)])
    html = runner.invoke(app, ["mail", "show", newest, "--html", "--dir", str(mailbox)])

    assert result.exit_code == 0, result.output
    assert "Subject: Session booked" in result.output
    assert "To:      grace@example.com" in result.output
    assert "session.ics (text/calendar)" in result.output
    assert result.output.rstrip().endswith("Hi Grace")
    assert "<p>Hi Grace</p>" in html.output


def test_mail_show_of_an_unknown_id_exits_1_and_says_where_to_look(mailbox: Path) -> None:
    result = runner.invoke(app, ["mail", "show", "nope", "--dir", str(mailbox)])
    shared_part = ids(mailbox)[0][:4]  # the year both arrived in
    ambiguous = runner.invoke(app, ["mail", "show", shared_part, "--dir", str(mailbox)])

    assert result.exit_code == 1
    assert "mentorship mail" in result.output
    assert ambiguous.exit_code == 1 and "several" in ambiguous.output


def test_mail_without_any_mail_says_so(tmp_path: Path) -> None:
    result = runner.invoke(app, ["mail", "--dir", str(tmp_path / "none")])

    assert result.exit_code == 0
    assert "no mail" in result.output
