"""The run command's sink: a real SMTP server that keeps each mail as an .eml file."""

import smtplib
from datetime import UTC, datetime

from notifications.adapters import mail_sink
from notifications.adapters.smtp import Email, build_message


def test_the_dev_sink_writes_eml_files_and_points_the_service_at_itself(tmp_path):
    with mail_sink.start_dev(tmp_path / "mail") as sink:
        with smtplib.SMTP(sink.host, sink.port) as client:
            client.sendmail("a@example.com", ["b@example.com"], b"Subject: hi\r\n\r\nbody\r\n")
        env = sink.service_env()

    [saved] = list((tmp_path / "mail").glob("*.eml"))
    assert mail_sink.describe(saved.read_bytes())["subject"] == "hi"
    assert env == {
        "NOTIFICATIONS_SMTP_HOST": "127.0.0.1",
        "NOTIFICATIONS_SMTP_PORT": str(sink.port),
        "NOTIFICATIONS_DEV_MAIL_DIR": str(tmp_path / "mail"),
    }


def test_an_unknown_mailbox_is_refused_with_550(tmp_path):
    with mail_sink.start(unknown={"nobody@example.com"}) as sink:
        with smtplib.SMTP(sink.host, sink.port) as client:
            refused = client.sendmail(
                "a@example.com", ["nobody@example.com", "b@example.com"], b"Subject: x\r\n\r\n."
            )

    assert refused == {"nobody@example.com": (550, b"5.1.1 unknown mailbox")}
    assert [m.rcpt_tos for m in sink.received] == [["b@example.com"]]


def test_a_long_subject_folded_by_the_sender_reads_as_it_was_written():
    subject = "Session canceled: Wednesday 16 December 2026, 15:00 CET (Europe/Paris)"
    email = Email(
        to="b@example.com",
        subject=subject,
        text="t",
        html="<p>t</p>",
        message_id="<m@example.com>",
        date=datetime(2026, 12, 16, tzinfo=UTC),
        attachments=[],
    )
    raw = build_message(email, sender="a@example.com").as_bytes()

    assert b"Subject:\n " in raw  # folded right after the name, as Python's generator does
    assert mail_sink.describe(raw)["subject"] == subject
