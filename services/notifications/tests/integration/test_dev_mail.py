"""The run command's mail sink: every mail as an .eml file and at GET /v1/dev/mail."""

from notifications.adapters import mail_sink
from shared.testing.helpers import eventually

from .test_email import booked


async def test_mails_of_the_local_suite_are_readable_as_eml_files_and_at_the_dev_endpoint(
    start_notifications, tmp_path
):
    with mail_sink.start(directory=tmp_path) as sink:
        app = await start_notifications(smtp_port=sink.port, dev_mail_dir=str(tmp_path))
        await app.contact("s1")
        await app.contact("m1")
        await app.publish(booked())

        await eventually(lambda: _files(tmp_path, 2))
        response = await app.client.get("/v1/dev/mail")

    assert response.status_code == 200
    messages = response.json()
    assert sorted(m["to"] for m in messages) == ["m1@example.com", "s1@example.com"]
    first = messages[0]
    assert first["subject"].startswith("Session booked")
    assert "Join:" in first["text"] and "<a href=" in first["html"]
    [invite] = first["attachments"]
    assert invite["filename"] == "session.ics" and "BEGIN:VCALENDAR" in invite["content"]


async def _files(directory, count: int) -> bool:
    return len(list(directory.glob("*.eml"))) >= count
