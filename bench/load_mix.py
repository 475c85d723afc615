"""The bounded load test of issue 17: the whole product behind the real gateway, a mix of
availability reads, searches, bookings, cancellations, completions and video tokens from many
students at 50 and then at 200 clients; then read-only checks of the services' databases:
no mentor double-booked, no pack overdrawn, every event delivered once.

Starts embedded NATS and Postgres, the six services as separate processes (the journey's
`running_suite`: dev mode, fresh databases, a real SMTP sink, rate limits and load shedding
at their defaults) and Envoy in front. The gateway's coarse per-client bucket is raised (every
load client shares one loopback address); the services' per-user limits and their in-flight
bound stay as they ship, since they are what is measured. Setup is not measured: 20 mentors
(hours every day, capacity 20, one product each), 200 students who check out and pay in the
sandbox, and sessions booked ahead that the dev clock then moves past (to be completed, and
in their video window). Decision 0023 says why each choice.

    flock /tmp/bench.lock uv run --no-sync python bench/load_mix.py \
        [--clients 50,200] [--seconds 40] [--students 200] [--mentors 20]

Exit status 1 if a post-check fails (the throughput and p99 targets are printed, not enforced).
"""

import argparse
import asyncio
import dataclasses
import random
import sys
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg

from mentorship.journey.harness import SuiteProcesses, behind_gateway
from mentorship.services import SERVICE_NAMES, repo_root
from shared.auth_dev import DEV_JWT_SECRET, mint_dev_token
from shared.embedded import EmbeddedPostgres
from shared.embedded.gateway import EmbeddedGateway
from shared.gateway.routes import (
    RateLimit,
    RouteTable,
    default_route_table_path,
    load_route_table,
)

sys.path.insert(0, str(Path(__file__).parent))
from harness import cpu_seconds, create_databases, with_embedded  # noqa: E402
from load_checks import checks  # noqa: E402
from load_client import Answer, Client  # noqa: E402
from stats import percentile  # noqa: E402

NAMESPACE = "loadmix"
DURATION = 60
SPECIALTIES = [
    "python",
    "career",
    "compilers",
    "databases",
    "frontend",
    "leadership",
    "ml",
    "security",
    "distributed",
    "testing",
]
ALL_DAY = {
    d: [{"start": "00:00", "end": "24:00"}]
    for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
}
# The mix: operation -> weight (percent of the operations a client picks).
WEIGHTS = {"availability": 38, "search": 22, "book": 16, "cancel": 8, "complete": 6, "token": 10}
ROUTES = {
    "availability": "GET  booking /mentors/{id}/availability",
    "search": "GET  search /mentors/search",
    "book": "POST booking /sessions",
    "cancel": "POST booking /sessions/{id}/cancel",
    "complete": "PATCH booking /instructor/sessions/{id}",
    "token": "POST video /sessions/{id}/token",
}
REQUEST_TIMEOUT = 35.0  # above the gateway's 30 s route timeout


def loadavg() -> str:
    return Path("/proc/loadavg").read_text().strip()


def rss_mib(pid: int | None) -> float:
    if pid is None:
        return float("nan")
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def z(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class Person:
    user_id: str
    role: str
    token: str

    @classmethod
    def make(cls, user_id: str, role: str) -> "Person":
        token = mint_dev_token(user_id=user_id, role=role, secret=DEV_JWT_SECRET)
        return cls(user_id, role, token)


@dataclass
class World:
    """Who takes part and what the load may act on."""

    mentors: list[Person]
    students: list[Person]
    admin: Person
    mentor_of: dict[str, Person] = field(default_factory=dict)
    products: dict[str, str] = field(default_factory=dict)
    now: datetime = datetime.min.replace(tzinfo=UTC)  # the dev clock once moved
    slots: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    booked: list[tuple[str, Person]] = field(default_factory=list)  # cancellable (mix-booked)
    completable: list[tuple[str, Person]] = field(default_factory=list)  # started, by mentor
    in_window: list[tuple[str, Person, Person]] = field(default_factory=list)  # video window


class SetupFailed(RuntimeError):
    pass


async def call(
    client: Client,
    method: str,
    path: str,
    who: Person | None,
    body: Any = None,
    *,
    expect: Iterable[int] = (200,),
    idempotent: bool = False,
) -> Answer:
    """A setup call through the gateway: 429/503 retried after Retry-After (as a client that
    behaves), anything else unexpected is a SetupFailed."""
    headers = {"Idempotency-Key": f"setup-{uuid.uuid4()}"} if idempotent else None
    for _ in range(30):
        answer = await client.request(
            method, path, token=who.token if who else None, json_body=body, headers=headers
        )
        if answer.status in (429, 503):
            await asyncio.sleep(min(float(answer.fields.get("retry-after", "1")), 2.0))
            continue
        if answer.status not in tuple(expect):
            raise SetupFailed(f"{method} {path}: {answer.status} {answer.body[:300]!r}")
        return answer
    raise SetupFailed(f"{method} {path}: still 429/503 after 30 tries")


async def run_jobs(
    port: int, jobs: list[Callable[[Client], Awaitable[None]]], *, width: int = 12
) -> None:
    """Each job once, `width` at a time, each worker on its own keep-alive connection."""
    queue = list(reversed(jobs))

    async def worker() -> None:
        client = Client(port)
        try:
            while queue:
                await queue.pop()(client)
        finally:
            await client.close()

    await asyncio.gather(*(worker() for _ in range(width)))


# --- setup (not measured) -------------------------------------------------------------------


async def set_up(port: int, world: World, dbs: dict[str, str], *, ahead: int) -> None:
    started = time.monotonic()

    def mentor_job(mentor: Person, index: int) -> Callable[[Client], Awaitable[None]]:
        async def job(client: Client) -> None:
            await call(
                client,
                "PUT",
                "/api/booking/v1/mentors/me",
                mentor,
                {
                    "display_name": f"Mentor {index:02d}",
                    "title": "Staff engineer",
                    "company": f"Company {index % 7}",
                    "bio": "Load-mix mentor.",
                    "specialties": [SPECIALTIES[index % 10], SPECIALTIES[(index + 3) % 10]],
                    "job_family": "engineering",
                    "years_experience": 5 + index,
                    "timezone": "UTC",
                    "notice_minutes": 0,
                    "session_durations": [DURATION],
                    "weekly_hours": ALL_DAY,
                },
            )
            await call(
                client,
                "PUT",
                f"/api/packs/v1/mentors/{mentor.user_id}/capacity",
                mentor,
                {"capacity": 20},
            )
            product = await call(
                client,
                "POST",
                "/api/payments/v1/products",
                mentor,
                {
                    "title": "Load pack",
                    "price_amount": 10000 + 100 * index,
                    "currency": "EUR",
                    "sessions_count": 60,
                    "session_minutes": DURATION,
                    "validity_days": 45,
                },
                expect=(201,),
            )
            world.products[mentor.user_id] = product.json()["product_id"]

        return job

    def contact_job(person: Person) -> Callable[[Client], Awaitable[None]]:
        async def job(client: Client) -> None:
            await call(
                client,
                "PUT",
                "/api/notifications/v1/contacts/me",
                person,
                {
                    "email": f"{person.user_id}@example.com",
                    "display_name": person.user_id,
                    "timezone": "UTC",
                },
            )

        return job

    def purchase_job(student: Person) -> Callable[[Client], Awaitable[None]]:
        async def job(client: Client) -> None:
            mentor = world.mentor_of[student.user_id]
            body = {"product_id": world.products[mentor.user_id], "provider": "sandbox"}
            order = await call(
                client,
                "POST",
                "/api/payments/v1/checkout",
                student,
                body,
                expect=(201,),
                idempotent=True,
            )
            order_id = order.json()["order_id"]
            await call(client, "POST", f"/api/payments/v1/sandbox/checkout/{order_id}/pay", student)

        return job

    await run_jobs(port, [mentor_job(m, i) for i, m in enumerate(world.mentors)])
    people = [*world.mentors, *world.students]
    await run_jobs(port, [contact_job(p) for p in people])
    await run_jobs(port, [purchase_job(s) for s in world.students])
    await wait_rows(dbs["packs"], "SELECT count(*) FROM packs", len(world.students), "packs")
    await wait_rows(
        dbs["booking"],
        "SELECT count(*) FROM student_packs",
        len(world.students),
        "booking's pack projection",
    )
    print(
        f"  setup: mentors, contacts, {len(world.students)} paid packs "
        f"in {time.monotonic() - started:.0f} s"
    )

    # Sessions booked ahead: `ahead` per mentor at whole hours from `base`, then one more; the
    # clock then moves 5 minutes past the start of the last, so the `ahead` have started
    # (completable) and the last is inside its video window for the next 70 minutes.
    reader = Client(port)
    clock = (await call(reader, "GET", "/api/packs/v1/admin/clock", world.admin)).json()
    await reader.close()
    real_now = datetime.fromisoformat(clock["now"])
    base = real_now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=2)
    students_of: dict[str, list[Person]] = defaultdict(list)
    for student in world.students:
        students_of[world.mentor_of[student.user_id].user_id].append(student)

    def book_ahead(mentor: Person, k: int) -> Callable[[Client], Awaitable[None]]:
        async def job(client: Client) -> None:
            pupils = students_of[mentor.user_id]
            student = pupils[k % len(pupils)]
            answer = await call(
                client,
                "POST",
                "/api/booking/v1/sessions",
                student,
                {
                    "mentor_id": mentor.user_id,
                    "starts_at": z(base + timedelta(hours=k)),
                    "duration_minutes": DURATION,
                    "topic": "booked ahead",
                },
                expect=(201,),
                idempotent=True,
            )
            session_id = answer.json()["session_id"]
            if k < ahead:
                world.completable.append((session_id, mentor))
            else:
                world.in_window.append((session_id, student, mentor))

        return job

    started = time.monotonic()
    jobs = [book_ahead(m, k) for k in range(ahead + 1) for m in world.mentors]
    await run_jobs(port, jobs)
    target = base + timedelta(hours=ahead, minutes=5)
    world.now = await move_clock(port, world.admin, target)
    print(
        f"  setup: {len(jobs)} sessions booked ahead in {time.monotonic() - started:.0f} s; "
        f"dev clock {z(real_now)} -> {z(world.now)}"
    )


async def move_clock(port: int, admin: Person, moment: datetime) -> datetime:
    client = Client(port)
    try:
        moved = (
            await call(client, "PUT", "/api/packs/v1/admin/clock", admin, {"set": z(moment)})
        ).json()
        for service in SERVICE_NAMES:
            for _ in range(300):
                seen = await call(client, "GET", f"/api/{service}/v1/admin/clock", admin)
                if seen.json()["revision"] >= moved["revision"]:
                    break
                await asyncio.sleep(0.1)
            else:
                raise SetupFailed(f"{service} never applied clock revision {moved['revision']}")
        return datetime.fromisoformat(moved["now"])
    finally:
        await client.close()


async def wait_rows(url: str, sql: str, count: int, what: str, *, within: float = 120) -> None:
    deadline = time.monotonic() + within
    connection = await asyncpg.connect(url)
    try:
        while (seen := await connection.fetchval(sql)) < count:
            if time.monotonic() > deadline:
                raise SetupFailed(f"{what}: {seen} of {count} after {within:.0f} s")
            await asyncio.sleep(0.5)
    finally:
        await connection.close()


async def settle(dbs: dict[str, str], *, within: float = 120) -> str:
    """Until every outbox is published and notifications has no pending delivery, twice in a
    row (or `within` seconds): a phase starts without the previous one's backlog."""
    started = time.monotonic()
    calm = 0
    while True:
        unpublished = 0
        for url in dbs.values():
            connection = await asyncpg.connect(url)
            try:
                unpublished += await connection.fetchval(
                    "SELECT count(*) FROM outbox WHERE published_at IS NULL"
                )
                if url == dbs["notifications"]:
                    pending = await connection.fetchval(
                        "SELECT count(*) FROM deliveries WHERE status = 'pending'"
                    )
            finally:
                await connection.close()
        calm = calm + 1 if unpublished == 0 and pending == 0 else 0
        waited = time.monotonic() - started
        if calm >= 2 or waited > within:
            return f"settled in {waited:.0f} s (unpublished {unpublished}, pending {pending})"
        await asyncio.sleep(1.0)


# --- the mix (measured) ---------------------------------------------------------------------


@dataclass
class Recorder:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    refusal_codes: Counter[str] = field(default_factory=Counter)
    no_retry_after: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    samples_5xx: list[str] = field(default_factory=list)
    samples_4xx: dict[tuple[str, int], str] = field(default_factory=dict)
    substituted: Counter[str] = field(default_factory=Counter)

    def record(self, op: str, answer: Answer, seconds: float) -> None:
        self.statuses[op][answer.status] += 1
        if answer.status in (429, 503) or answer.status >= 500:
            code = _code(answer)
            self.refusal_codes[f"{answer.status} {code}"] += 1
            if "retry-after" not in answer.fields and answer.status in (429, 503):
                self.no_retry_after[answer.status] += 1
            if answer.status >= 500 and answer.status != 503 and len(self.samples_5xx) < 5:
                self.samples_5xx.append(f"{ROUTES[op]}: {answer.status} {answer.body[:300]!r}")
        else:
            self.latencies[op].append(seconds)
            if answer.status >= 400 and (op, answer.status) not in self.samples_4xx:
                self.samples_4xx[op, answer.status] = answer.body[:240].decode(errors="replace")


def _code(answer: Answer) -> str:
    try:
        return str(answer.json().get("code", "?"))
    except (ValueError, AttributeError):
        return "?"


class Mix:
    def __init__(self, world: World, recorder: Recorder, rng: random.Random) -> None:
        self.w, self.r, self.rng = world, recorder, rng
        self.ops = list(WEIGHTS)
        self.weights = list(WEIGHTS.values())

    async def one(self, client: Client, student: Person) -> Answer:
        op = self.rng.choices(self.ops, self.weights)[0]
        return await getattr(self, op)(client, student)

    async def _timed(
        self,
        op: str,
        client: Client,
        method: str,
        path: str,
        who: Person,
        body: Any = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        started = time.perf_counter()
        try:
            async with asyncio.timeout(REQUEST_TIMEOUT):
                answer = await client.request(
                    method, path, token=who.token, json_body=body, headers=headers
                )
        except TimeoutError:
            self.r.errors[f"{op} timeout"] += 1
            raise
        except (ConnectionError, OSError, asyncio.IncompleteReadError) as exc:
            self.r.errors[f"{op} {type(exc).__name__}"] += 1
            raise
        self.r.record(op, answer, time.perf_counter() - started)
        return answer

    async def availability(self, client: Client, student: Person) -> Answer:
        mentor = self.w.mentor_of[student.user_id]
        if self.rng.random() < 0.2:
            mentor = self.rng.choice(self.w.mentors)
        start = self.w.now.replace(minute=0, second=0, microsecond=0) + timedelta(
            hours=2 + self.rng.randrange(0, 8 * 24)
        )
        path = (
            f"/api/booking/v1/mentors/{mentor.user_id}/availability"
            f"?from={z(start)}&to={z(start + timedelta(days=2))}&duration={DURATION}"
        )
        answer = await self._timed("availability", client, "GET", path, student)
        if answer.status == 200:
            self.w.slots[mentor.user_id] = [s["starts_at"] for s in answer.json()["slots"]]
        return answer

    async def search(self, client: Client, student: Person) -> Answer:
        query = f"?q={self.rng.choice(SPECIALTIES)}&per_page=20"
        if self.rng.random() < 0.5:
            query = f"?specialty={self.rng.choice(SPECIALTIES)}&accepting_students=true"
        return await self._timed(
            "search", client, "GET", f"/api/search/v1/mentors/search{query}", student
        )

    async def book(self, client: Client, student: Person) -> Answer:
        mentor = self.w.mentor_of[student.user_id]
        slots = self.w.slots[mentor.user_id]
        if not slots:
            self.r.substituted["book -> availability (no slot known)"] += 1
            return await self.availability(client, student)
        starts_at = slots.pop(self.rng.randrange(len(slots)))
        body = {
            "mentor_id": mentor.user_id,
            "starts_at": starts_at,
            "duration_minutes": DURATION,
            "topic": "load mix booking",
        }
        answer = await self._timed(
            "book",
            client,
            "POST",
            "/api/booking/v1/sessions",
            student,
            body,
            {"Idempotency-Key": f"mix-{uuid.uuid4()}"},
        )
        if answer.status == 201:
            self.w.booked.append((answer.json()["session_id"], student))
        return answer

    async def cancel(self, client: Client, student: Person) -> Answer:
        if not self.w.booked:
            self.r.substituted["cancel -> book (none booked yet)"] += 1
            return await self.book(client, student)
        session_id, owner = self.w.booked.pop(self.rng.randrange(len(self.w.booked)))
        return await self._timed(
            "cancel",
            client,
            "POST",
            f"/api/booking/v1/sessions/{session_id}/cancel",
            owner,
            {"reason": "load mix"},
        )

    async def complete(self, client: Client, student: Person) -> Answer:
        if not self.w.completable:
            self.r.substituted["complete -> availability (pool empty)"] += 1
            return await self.availability(client, student)
        session_id, mentor = self.w.completable.pop(self.rng.randrange(len(self.w.completable)))
        return await self._timed(
            "complete",
            client,
            "PATCH",
            f"/api/booking/v1/instructor/sessions/{session_id}",
            mentor,
            {"status": "completed"},
        )

    async def token(self, client: Client, student: Person) -> Answer:
        if not self.w.in_window:
            self.r.substituted["token -> search (no session in its window)"] += 1
            return await self.search(client, student)
        session_id, pupil, mentor = self.rng.choice(self.w.in_window)
        who = pupil if self.rng.random() < 0.5 else mentor
        return await self._timed(
            "token", client, "POST", f"/api/video/v1/sessions/{session_id}/token", who
        )


async def phase(port: int, world: World, *, clients: int, seconds: float, seed: int) -> dict:
    recorder = Recorder()
    mix = Mix(world, recorder, random.Random(seed))
    deadline = time.monotonic() + seconds

    async def drive(index: int) -> None:
        mine = world.students[index % len(world.students) :: clients] or world.students
        client = Client(port)
        turn = 0
        try:
            while time.monotonic() < deadline:
                student = mine[turn % len(mine)]
                turn += 1
                try:
                    answer = await mix.one(client, student)
                except (TimeoutError, ConnectionError, OSError, asyncio.IncompleteReadError):
                    continue
                if answer.status in (429, 503):  # a client that behaves waits as told
                    await asyncio.sleep(min(float(answer.fields.get("retry-after", "1")), 2.0))
        finally:
            await client.close()

    started = time.monotonic()
    cpu_before = cpu_seconds()
    await asyncio.gather(*(drive(i) for i in range(clients)))
    elapsed = time.monotonic() - started
    return {"recorder": recorder, "elapsed": elapsed, "client_cpu": cpu_seconds() - cpu_before}


def report(title: str, result: dict) -> dict[str, float]:
    r: Recorder = result["recorder"]
    elapsed = result["elapsed"]
    served = sum(len(v) for v in r.latencies.values())
    answered = sum(sum(c.values()) for c in r.statuses.values())
    shed = {s: sum(c[s] for c in r.statuses.values()) for s in (429, 503)}
    every = [x for v in r.latencies.values() for x in v]
    p99 = percentile(every, 99) * 1000 if every else float("nan")
    print(
        f"\n== {title}: {elapsed:.1f} s, {answered} answered, {served} served "
        f"-> {served / elapsed:.1f} req/s served ({answered / elapsed:.1f} answered); "
        f"served p50 {percentile(every, 50) * 1000 if every else float('nan'):.0f} ms "
        f"p99 {p99:.0f} ms; 429: {shed[429]}, 503: {shed[503]} "
        f"(without Retry-After: {dict(r.no_retry_after) or 0}); "
        f"client CPU {result['client_cpu']:.1f} s"
    )
    print(f"   {'route':<42} {'served':>6} {'p50 ms':>8} {'p99 ms':>8}  statuses")
    for op in WEIGHTS:
        lat = r.latencies.get(op, [])
        p50_ms = percentile(lat, 50) * 1000 if lat else float("nan")
        p99_ms = percentile(lat, 99) * 1000 if lat else float("nan")
        statuses = " ".join(f"{s}:{n}" for s, n in sorted(r.statuses[op].items()))
        print(f"   {ROUTES[op]:<42} {len(lat):>6} {p50_ms:>8.1f} {p99_ms:>8.1f}  {statuses}")
    if r.refusal_codes:
        print(
            "   refusals/errors by code: "
            + ", ".join(f"{k}: {n}" for k, n in sorted(r.refusal_codes.items()))
        )
    if r.errors:
        print(f"   client-side errors: {dict(r.errors)}")
    if r.substituted:
        print(f"   substituted operations: {dict(r.substituted)}")
    if r.samples_4xx:
        print(
            "   4xx (first body seen): "
            + "; ".join(f"{op} {st} {body}" for (op, st), body in sorted(r.samples_4xx.items()))
        )
    for sample in r.samples_5xx:
        print(f"   5xx sample: {sample}")
    return {"served_per_s": served / elapsed, "p99_ms": p99}


# --- the run --------------------------------------------------------------------------------


def route_table_for_load() -> RouteTable:
    """The repository's route table with the gateway's per-client bucket lifted: every load
    client is one loopback address, so that bucket would measure itself; the services'
    per-user limits and load shedding stay as they ship."""
    table = load_route_table(default_route_table_path(repo_root()))
    return dataclasses.replace(table, rate_limit=RateLimit(1_000_000, 1_000_000))


def make_world(prefix: str, *, mentors: int, students: int) -> World:
    """`mentors` mentors, `students` students spread over them in turn, and an operator."""
    cast = [Person.make(f"{prefix}-mentor-{i:02d}", "mentor") for i in range(mentors)]
    learners = [Person.make(f"{prefix}-student-{i:03d}", "student") for i in range(students)]
    world = World(cast, learners, Person.make(f"{prefix}-ops", "admin"))
    world.mentor_of = {s.user_id: cast[i % len(cast)] for i, s in enumerate(learners)}
    return world


def processes(suite: SuiteProcesses, gateway: EmbeddedGateway) -> dict[str, int | None]:
    return {**{name: proc.pid for name, proc in suite.procs.items()}, "gateway": gateway.pid}


async def run(args: argparse.Namespace, nats_url: str, postgres: EmbeddedPostgres) -> None:
    print(f"loadavg at start: {loadavg()}")
    started = time.monotonic()
    inis = {s: repo_root() / "services" / s / "alembic.ini" for s in SERVICE_NAMES}
    await create_databases(postgres, inis)
    dbs = {s: postgres.url(s) for s in SERVICE_NAMES}
    workdir = Path(args.workdir)
    with behind_gateway(
        database_urls={s: postgres.sqlalchemy_url(s) for s in SERVICE_NAMES},
        nats_url=nats_url,
        namespace=NAMESPACE,
        workdir=workdir,
        table=route_table_for_load(),
    ) as (suite, gateway):
        gateway_port = gateway.port
        print(
            f"  six services and the gateway up in {time.monotonic() - started:.0f} s "
            f"({'fsync off' if args.fast_postgres else 'durable commits'}); logs in {workdir}"
        )
        world = make_world("lm", mentors=args.mentors, students=args.students)
        await set_up(gateway_port, world, dbs, ahead=args.ahead)
        print(f"  {await settle(dbs, within=240)} (the clock jump's reminders)")

        pids = processes(suite, gateway)
        rss_before = {name: rss_mib(pid) for name, pid in pids.items()}
        cpu_start = {name: cpu_seconds(pid) for name, pid in pids.items() if pid}
        warm = await phase(gateway_port, world, clients=20, seconds=args.warmup, seed=1)
        print(
            f"  warm-up: 20 clients {args.warmup:.0f} s, not measured "
            f"({sum(len(v) for v in warm['recorder'].latencies.values())} served)"
        )
        figures = {}
        for round_, clients in enumerate(args.clients):
            print(f"  {await settle(dbs)}; loadavg {loadavg()}")
            cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items() if pid}
            result = await phase(
                gateway_port, world, clients=clients, seconds=args.seconds, seed=100 + round_
            )
            figures[clients] = report(f"{clients} clients", result)
            cpu = {n: cpu_seconds(p) - cpu_before[n] for n, p in pids.items() if p}
            print("   server CPU s: " + ", ".join(f"{n} {c:.1f}" for n, c in cpu.items()))
            print(
                f"   loadavg after: {loadavg()}; pools left: completable "
                f"{len(world.completable)}, cancellable {len(world.booked)}"
            )
        rss_after = {name: rss_mib(pid) for name, pid in pids.items()}
        cpu_total = {n: cpu_seconds(p) - cpu_start[n] for n, p in pids.items() if p}
        print("\n== RSS per process (MiB), before warm-up -> after the last phase; CPU s in all")
        for name in pids:
            print(
                f"   {name:<14} {rss_before[name]:7.1f} -> {rss_after[name]:7.1f}   "
                f"cpu {cpu_total.get(name, float('nan')):6.1f}"
            )
        if len(args.clients) >= 2:
            low, high = args.clients[0], args.clients[-1]
            peak = max(f["served_per_s"] for f in figures.values())
            ratio = figures[high]["served_per_s"] / peak
            print(
                f"\n== {high} clients served {figures[high]['served_per_s']:.1f} req/s = "
                f"{ratio:.2f} x the peak ({peak:.1f} req/s; {low} clients "
                f"{figures[low]['served_per_s']:.1f}); target >= 0.80: "
                f"{'met' if ratio >= 0.8 else 'NOT met'}; served p99 {low} clients "
                f"{figures[low]['p99_ms']:.0f} ms, {high} clients "
                f"{figures[high]['p99_ms']:.0f} ms"
            )
        print(f"  {await settle(dbs)}")
        ok = await checks(dbs)
        failed = [n for n, p in suite.procs.items() if p.exit_code() is not None]
        if failed:
            print(f"   [FAIL] services exited during the run: {failed}")
            ok = False
    print(f"\nloadavg at end: {loadavg()}; {time.monotonic() - started:.0f} s in all")
    if not ok:
        raise SystemExit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--clients", type=lambda s: [int(x) for x in s.split(",")], default=[50, 200]
    )
    parser.add_argument("--seconds", type=float, default=40.0, help="each phase")
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--mentors", type=int, default=20)
    parser.add_argument("--ahead", type=int, default=48, help="started sessions per mentor")
    parser.add_argument("--fast-postgres", action="store_true", help="fsync off")
    parser.add_argument("--workdir", default=None, help="logs here (default: a temp dir)")
    args = parser.parse_args()
    if args.workdir is None:
        import tempfile

        args.workdir = tempfile.mkdtemp(prefix="load-mix-")
    asyncio.run(with_embedded(run, args, fast=args.fast_postgres))


if __name__ == "__main__":
    main()
