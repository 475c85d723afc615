"""`mentorship mail`: the mail the dev SMTP sink received, as a table, and one message's text.

It reads the sink's `.eml` files (`.dev/mail/`, written by `make dev`) directly, so it works
with or without the services running and needs no token.
"""

from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from mentorship.consoles import make_console
from mentorship.services import repo_root
from notifications.adapters.mail_sink import describe, read_mailbox

mail_app = typer.Typer(
    help="Mail the dev SMTP sink received (.dev/mail): newest first; `show ID` opens one.",
    invoke_without_command=True,
)
console = make_console()
errors = make_console(stderr=True)

MailDir = Annotated[
    Path | None,
    typer.Option("--dir", help="The sink's directory (default: .dev/mail of this checkout)."),
]


def mail_dir(directory: Path | None) -> Path:
    return directory if directory is not None else repo_root() / ".dev" / "mail"


@mail_app.callback()
def mail(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(min=1, help="How many messages, newest first.")] = 20,
    directory: MailDir = None,
) -> None:
    """List the newest messages (subject, recipient, time); `mentorship mail show ID` opens one."""
    if ctx.invoked_subcommand is None:
        list_mail(limit=limit, directory=directory)


@mail_app.command("list")
def list_mail(
    limit: Annotated[int, typer.Option(min=1, help="How many messages, newest first.")] = 20,
    directory: MailDir = None,
) -> None:
    """The newest messages as a table: id, time, recipient, subject, attachments."""
    folder = mail_dir(directory)
    messages = read_mailbox(folder, limit=limit)
    if not messages:
        console.print(f"no mail in {folder} yet")
        return
    console.print(mail_table(messages, total=len(list(folder.glob("*.eml")))))


@mail_app.command("show")
def show_mail(
    message_id: Annotated[str, typer.Argument(metavar="ID", help="An id from the list.")],
    html: Annotated[bool, typer.Option("--html", help="Print the HTML part instead.")] = False,
    directory: MailDir = None,
) -> None:
    """Print one message: its headers, then its text (or HTML), then its attachments' names."""
    folder = mail_dir(directory)
    path = find_message(folder, message_id)
    message = describe(path.read_bytes())
    for header in ("from", "to", "subject", "date"):
        typer.echo(f"{header.capitalize() + ':':<9}{message[header] or ''}")
    for attachment in message["attachments"]:
        typer.echo(f"{'Attached:':<9}{attachment['filename']} ({attachment['content_type']})")
    typer.echo("")
    body = message["html"] if html else message["text"]
    typer.echo((body or "(no such part)").rstrip("\n"))


def find_message(folder: Path, message_id: str) -> Path:
    """The `.eml` named by its id (the file name without `.eml`), or a unique part of it."""
    wanted = message_id.removesuffix(".eml")
    exact = folder / f"{wanted}.eml"
    if wanted and "/" not in wanted and exact.is_file():
        return exact
    found = sorted(p for p in folder.glob("*.eml") if wanted and wanted in p.stem)
    if len(found) == 1:
        return found[0]
    why = "matches several messages" if found else f"is not in {folder}"
    errors.print(f"[red]mail {escape(message_id)} {why}[/]: `mentorship mail` lists the ids")
    raise typer.Exit(1)


def mail_table(messages: list[dict[str, Any]], *, total: int) -> Table:
    shown = f"{len(messages)} of {total}" if total > len(messages) else str(total)
    table = Table(title=f"dev mail ({shown}, newest first)")
    table.add_column("id", no_wrap=True)
    table.add_column("time", no_wrap=True)
    table.add_column("to", overflow="fold")
    table.add_column("subject", overflow="fold")
    table.add_column("attachments", overflow="fold")
    for message in messages:
        table.add_row(
            escape(message["file"].removesuffix(".eml")),
            sent_at(message["date"]),
            escape(message["to"] or ""),
            escape(message["subject"] or ""),
            escape(", ".join(a["filename"] or "" for a in message["attachments"])),
        )
    return table


def sent_at(date_header: str | None) -> str:
    """The Date header as `YYYY-MM-DD HH:MM:SS ±zone`; as written when it does not parse."""
    if not date_header:
        return ""
    try:
        return parsedate_to_datetime(date_header).strftime("%Y-%m-%d %H:%M:%S %z")
    except (TypeError, ValueError):
        return escape(date_header)
