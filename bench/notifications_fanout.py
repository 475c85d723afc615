"""Fan-out: deliveries per second from `session.booked` events to a local SMTP sink.

Starts embedded NATS and Postgres, a real SMTP server on loopback (aiosmtpd, the one
`mentorship dev` runs, in a process of its own as a relay would be) and the real
notifications service (its lifespan: broker, consumers,
email sender). Each round publishes `--events` session.booked events over JetStream; each
gives two emails (student and mentor, with the .ics), so a round is done when the sink holds
2 × events messages. The floor, in the same run and interleaved with it: aiosmtplib sending
the very same messages (the rendered rows of the previous service round) to the same sink
at the same concurrency, with nothing else (no broker, no database).

    uv run python bench/notifications_fanout.py [--events 200] [--rounds 6] [--concurrency 8]
"""

import argparse
import asyncio
import json
import multiprocessing
import socket
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiosmtplib
import asyncpg
import nats

from notifications.adapters import mail_sink
from notifications.adapters.smtp import Email, build_message
from notifications.bootstrap import message_id
from notifications.config import Settings
from notifications.main import ALEMBIC_INI, create_app
from shared.embedded import EmbeddedNats, EmbeddedPostgres
from shared.messaging.events import Envelope, SessionBooked
from shared.messaging.stream import stream_name, subject_for
from shared.migrate import upgrade_to_head

sys.path.insert(0, str(Path(__file__).parent))
from stats import print_row  # noqa: E402

NAMESPACE = "bench"
PEOPLE = 50  # students and mentors each; events pair them round-robin
SENDER = "Mentorship <no-reply@mentorship.localhost>"


def booked(n: int) -> Envelope:
    starts = datetime.now(UTC) + timedelta(days=2, minutes=n)
    event = SessionBooked(
        session_id=uuid.uuid4(),
        mentor_id=f"mentor-{n % PEOPLE}",
        student_id=f"student-{n % PEOPLE}",
        pack_id=uuid.uuid4(),
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        join_url="https://video.example.com/s/bench",
        mentor_timezone="Europe/Berlin",
        topic="Benchmark session",
    )
    return Envelope.wrap(event, producer="booking")


class Sink:
    """The SMTP sink in its own process; `count` is how many mails it accepted."""

    def __init__(self) -> None:
        spawn = multiprocessing.get_context("spawn")
        self.count = spawn.Value("i", 0)
        self.port = mail_sink.free_port()
        self.host = "127.0.0.1"
        self._stop = spawn.Event()
        self._process = spawn.Process(
            target=_serve, args=(self.port, self.count, self._stop), daemon=True
        )

    def start(self) -> "Sink":
        self._process.start()
        while not mail_sink.port_is_open(self.host, self.port):
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        self._stop.set()
        self._process.join(10)

    def reset(self) -> None:
        with self.count.get_lock():
            self.count.value = 0

    async def wait_for(self, count: int, within: float = 300.0) -> None:
        deadline = time.monotonic() + within
        while self.count.value < count:
            if time.monotonic() > deadline:
                raise RuntimeError(f"only {self.count.value} of {count} mails arrived")
            await asyncio.sleep(0.002)


def _serve(port: int, count, stop) -> None:
    def counted(_: mail_sink.Received) -> None:
        with count.get_lock():
            count.value += 1

    sink = mail_sink.start(port=port)
    sink.handler.on_message = counted
    sink.handler.received = _Discard()
    stop.wait()
    sink.stop()


class _Discard(list):
    def append(self, item) -> None:  # the bench keeps counts, not messages
        pass


async def service_round(js, sink: Sink, events: int) -> tuple[float, list[str]]:
    """Publish the events; wall time until every mail arrived, and the event ids."""
    sink.reset()
    envelopes = [booked(n) for n in range(events)]
    started = time.perf_counter()
    for envelope in envelopes:
        await js.publish(
            subject_for(NAMESPACE, envelope.type),
            json.dumps(envelope.model_dump(mode="json")).encode(),
            stream=stream_name(NAMESPACE),
            headers={"Nats-Msg-Id": str(envelope.id)},
        )
    await sink.wait_for(2 * events)
    return time.perf_counter() - started, [str(e.id) for e in envelopes]


async def rendered_emails(database: str, event_ids: list[str]) -> list[Email]:
    """The rows the service rendered for these events, as the floor will send them."""
    connection = await asyncpg.connect(database)
    rows = await connection.fetch(
        "SELECT delivery_id, address, subject, body_text, body_html, attachments, created_at"
        " FROM deliveries WHERE event_id = ANY($1::uuid[]) AND channel = 'email'",
        event_ids,
    )
    await connection.close()
    return [
        Email(
            message_id=message_id(uuid.uuid4(), SENDER),
            to=row["address"],
            subject=row["subject"],
            text=row["body_text"],
            html=row["body_html"],
            attachments=json.loads(row["attachments"]),
            date=row["created_at"],
        )
        for row in rows
    ]


async def floor_round(sink: Sink, emails: list[Email], concurrency: int) -> tuple[float, list]:
    """aiosmtplib alone: the same messages, `concurrency` senders, one connection per mail."""
    sink.reset()
    queue = list(emails)
    local_hostname = socket.getfqdn()  # looked up once, as the service's SmtpSender does
    latencies: list[float] = []

    async def sender() -> None:
        while queue:
            email = queue.pop()
            started = time.perf_counter()
            await aiosmtplib.send(
                build_message(email, sender=SENDER),
                hostname=sink.host,
                port=sink.port,
                local_hostname=local_hostname,
            )
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(sender() for _ in range(concurrency)))
    await sink.wait_for(len(emails))
    return time.perf_counter() - started, latencies


async def seed_contacts(database: str) -> None:
    connection = await asyncpg.connect(database)
    for role, zone in (("student", "Asia/Tokyo"), ("mentor", "Europe/Berlin")):
        await connection.executemany(
            "INSERT INTO contacts (user_id, email, display_name, timezone, channels, updated_at)"
            " VALUES ($1, $2, $3, $4, ARRAY['email'], now())",
            [
                (f"{role}-{n}", f"{role}-{n}@example.com", f"{role.title()} {n}", zone)
                for n in range(PEOPLE)
            ],
        )
    await connection.close()


async def run(args, nats_url: str, postgres: EmbeddedPostgres) -> None:
    admin = await asyncpg.connect(postgres.url())
    await admin.execute("CREATE DATABASE notifications_bench")
    await admin.close()
    database = postgres.sqlalchemy_url("notifications_bench")
    await asyncio.to_thread(upgrade_to_head, ALEMBIC_INI, database)
    await seed_contacts(postgres.url("notifications_bench"))
    sink = Sink().start()
    settings = Settings(
        dev_mode=True,
        database_url=database,
        nats_url=nats_url,
        nats_namespace=NAMESPACE,
        jobs_enabled=False,
        log_level="WARNING",
        smtp_port=sink.port,
        email_concurrency=args.concurrency,
        send_poll_seconds=0.5,
    )
    app = create_app(settings)
    rates = {"service": [], "floor": []}
    mails = {"service": 0, "floor": 0}
    seconds = {"service": 0.0, "floor": 0.0}
    floor_latencies: list[float] = []
    async with app.router.lifespan_context(app):
        client = await nats.connect(nats_url)
        js = client.jetstream()
        await service_round(js, sink, max(20, args.events // 5))  # warm-up
        emails: list[Email] = []
        for round_ in range(args.rounds):
            order = ("service", "floor") if round_ % 2 == 0 else ("floor", "service")
            for variant in order:
                if variant == "service" or not emails:
                    elapsed, event_ids = await service_round(js, sink, args.events)
                    count = 2 * args.events
                    emails = await rendered_emails(postgres.url("notifications_bench"), event_ids)
                    variant = "service"
                else:
                    elapsed, latencies = await floor_round(sink, emails, args.concurrency)
                    floor_latencies += latencies
                    count = len(emails)
                rates[variant].append(count / elapsed)
                mails[variant] += count
                seconds[variant] += elapsed
        await client.close()
    sink.stop()

    print(
        f"\nnotifications fan-out: session.booked -> 2 emails each (text + HTML + .ics), "
        f"{args.events} events per round, {args.rounds} interleaved rounds, "
        f"{args.concurrency} concurrent SMTP sends, durable Postgres commits\n"
    )
    print_row("floor: aiosmtplib alone, one send per mail", floor_latencies)
    for variant in ("floor", "service"):
        median = statistics.median(rates[variant])
        runs = ", ".join(f"{r:.0f}" for r in rates[variant])
        print(
            f"{variant:<8} {mails[variant]:6d} mails  median {median:7.0f} mails/s"
            f"  overall {mails[variant] / seconds[variant]:7.0f}/s  rounds [{runs}]"
        )
    ratio = statistics.median(rates["service"]) / statistics.median(rates["floor"])
    print(f"\nratio service / floor (medians): {ratio:.0%} (target >= 70%)")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as workdir,
        EmbeddedNats(Path(workdir) / "nats") as nats_server,
        EmbeddedPostgres(Path(workdir) / "pg") as postgres,
    ):
        await run(args, nats_server.url, postgres)


if __name__ == "__main__":
    asyncio.run(main())
