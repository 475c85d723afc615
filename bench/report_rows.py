"""The rows of bench/REPORT.md's one table: issue 19's paths (and the gateway, and the load
mix's throughput under overload), each read from its benchmark's figures, held against its
floor from the same run and against the issue's target.

`share` puts every ratio on one scale for the before/after chart: the path's speed as a share
of its floor's (a rate over the floor's rate, or the floor's latency over the path's)."""

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from report_parse import Figures

Run = dict[str, Figures]  # benchmark name -> its figures


@dataclass(frozen=True)
class Measured:
    today: str
    floor: str
    ratio: str
    share: float | None = None  # speed as a share of the floor's (the before/after chart)
    missed: list[str] = field(default_factory=list)  # the parts of the target not met
    value: float | None = None  # the path's own figure when it has no floor (indexing)


@dataclass(frozen=True)
class Row:
    path: str
    benchmark: str
    target: str
    before: str  # "today" as issue 19 filed it (or the decision that measured it)
    before_share: float | None
    measure: Callable[[Figures], Measured]
    target_share: float | None = None  # the target on the `share` scale
    before_value: float | None = None
    has_target: bool = True
    # When the target is missed: which cost remains and what it would take (the path's owner
    # writes it from a profile; the report prints it under the table).
    remains: str = ""


def find(figures: Figures, prefix: str) -> dict[str, object]:
    """The figure named `prefix`, or else the first whose name starts with it, or else the first
    that contains it (names carry sizes the runner may change, and their owners reword them)."""
    if prefix in figures:
        return figures[prefix]
    for name, figure in figures.items():
        if name.startswith(prefix):
            return figure
    for name, figure in figures.items():
        if prefix in name:
            return figure
    raise KeyError(prefix)


def value(figures: Figures, prefix: str, key: str) -> float:
    found = find(figures, prefix).get(key)
    if not isinstance(found, int | float):
        raise KeyError(f"{prefix}: {key}")
    return float(found)


def rate_against(
    figures: Figures,
    path: str,
    floor: str,
    *,
    least: float,
    p99_at_most: float | None = None,
    unit: str = "/s",
) -> Measured:
    """A rate held against its floor's rate (≥ `least`), and optionally a p99 bound (ms)."""
    rate, floor_rate = value(figures, path, "per_second"), value(figures, floor, "per_second")
    share = rate / floor_rate
    missed = [f"{share:.0%} of the floor's rate < {least:.0%}"] if share < least else []
    today = f"{rate:,.0f}{unit}"
    if p99_at_most is not None:
        p99 = value(figures, path, "p99_ms")
        today += f", p99 {p99:,.1f} ms"
        if p99 > p99_at_most:
            missed.append(f"p99 {p99:,.0f} ms > {p99_at_most:g} ms")
    return Measured(today, f"{floor_rate:,.0f}{unit}", f"{share:.0%}", share, missed)


def p50_against(figures: Figures, path: str, floor: str, *, most: float) -> Measured:
    """A p50 held against its floor's p50 (≤ `most` times it)."""
    p50, floor_p50 = value(figures, path, "p50_ms"), value(figures, floor, "p50_ms")
    times = p50 / floor_p50
    missed = [f"p50 {times:.2f}× the floor > {most:g}×"] if times > most else []
    return Measured(
        f"p50 {p50:.2f} ms", f"p50 {floor_p50:.2f} ms", f"{times:.2f}×", 1 / times, missed
    )


def healthz(figures: Figures) -> Measured:
    measured = rate_against(figures, "kernel", "bare FastAPI", least=0.60, p99_at_most=math.inf)
    tail = value(figures, "kernel", "p99_ms") / value(figures, "kernel", "p50_ms")
    if tail > 3:
        measured.missed.append(f"p99 {tail:.1f}× its p50 > 3×")
    return measured


def webhooks(figures: Figures) -> Measured:
    measured = rate_against(
        figures, "payments POST", "floor: verify_header", least=0.40, p99_at_most=50
    )
    hop = value(figures, "webhook -> pack.purchased, under load", "p50_ms")
    if hop > 500:
        measured.missed.append(f"webhook → pack.purchased p50 {hop:,.0f} ms > 500 ms")
    today = f"{measured.today}; → pack.purchased p50 {hop:,.0f} ms under load"
    return Measured(today, measured.floor, measured.ratio, measured.share, measured.missed)


def video(figures: Figures) -> Measured:
    measured = rate_against(figures, "POST token, 32", "HTTP floor: GET /healthz", least=0.60)
    p50 = value(figures, "POST token, 32", "p50_ms")
    return Measured(
        f"{measured.today}, p50 {p50:.1f} ms",
        measured.floor,
        measured.ratio,
        measured.share,
        measured.missed,
    )


def indexing(figures: Figures) -> Measured:
    rate = value(figures, "indexing", "per_second")
    missed = [f"{rate:,.0f} events/s < 2,000"] if rate < 2000 else []
    return Measured(f"{rate:,.0f} events/s", "—", "—", None, missed, value=rate)


def gateway(figures: Figures) -> Measured:
    through = value(figures, "gateway GET /api/packs/v1/me/packs", "p50_ms")
    direct = value(figures, "direct GET /v1/me/packs", "p50_ms")
    return Measured(
        f"p50 {through:.2f} ms ({through - direct:+.2f} ms)",
        f"direct p50 {direct:.2f} ms",
        f"{through / direct:.2f}×",
        direct / through,
    )


def overload(figures: Figures) -> Measured:
    low, high = (
        value(figures, "50 clients", "per_second"),
        value(figures, "200 clients", "per_second"),
    )
    ratio = high / max(low, high)
    missed = [f"200 clients {ratio:.2f}× the peak < 0.80×"] if ratio < 0.8 else []
    p99 = value(figures, "200 clients", "p99_ms")
    return Measured(
        f"200 clients {high:.1f} req/s served, p99 {p99:,.0f} ms",
        f"peak {max(low, high):.1f} req/s (50 clients {low:.1f})",
        f"{ratio:.2f}×",
        ratio,
        missed,
    )


ROWS = [
    Row("HTTP stack: packs `/healthz`, 32 connections", "http_stack",
        "≥ 60% of bare FastAPI + uvloop; p99 ≤ 3× p50",
        "1,454 req/s, p99 122 ms (18%)", 0.18, healthz, target_share=0.60,
        remains="The runtime in the same process (broker, pool, outbox relay) and the kernel's "
        "six pure-ASGI layers (request context, metrics, in-flight bound, rate limits, body "
        "limits, crash guard): ~20 µs of CPU a request over the bare app (decision 0024). "
        "Fewer layers (one middleware doing all six) would take most of it."),
    Row("Stripe webhook ingestion + processing, 32 callers", "payments_webhooks",
        "≥ 40% of signature check + INSERT; p99 ≤ 50 ms; → `pack.purchased` p50 ≤ 500 ms",
        "274/s, p99 234 ms; → pack.purchased 4–7.5 s (8%)", 0.08, webhooks,
        target_share=0.40,
        remains="Payments spends ~1.0 ms of CPU per webhook (was 5.7): ingestion coalesces the "
        "requests in flight into one INSERT built once, the worker claims, applies and marks "
        "batches of up to 100 in one transaction (decision 0037). With its worker in the same "
        "process payments is CPU-bound on its core (~60% of its loop is the kernel HTTP stack "
        "and transports; ingestion alone reaches 54% of the floor, p99 21 ms). The rest of "
        "the hop to `pack.purchased` is packs' fulfilment (its statements built once and the "
        "per-purchase recount gone in decision 0038: p50 1.47 s → 0.82 s): one live-seat "
        "count per new seat, the per-order duplicate check and the kernel's per-event inbox "
        "and commit. It would take the worker in its own process and packs' fulfilment "
        "applied in batches"),
    Row("`POST /v1/sessions`, 32 students", "booking_sessions",
        "≥ 40% of reserve + insert; p99 ≤ 200 ms",
        "79/s, p99 753 ms (18%)", 0.18,
        lambda f: rate_against(f, "POST /v1/sessions", "floor: nats-py reserve", least=0.40,
                               p99_at_most=200),
        target_share=0.40,
        remains="A profile of the booking process (decision 0031, measured after) puts ~9% "
        "of its CPU in booking's own code (the check now on the driver, the slot walk cut); "
        "what remains is one round trip per statement on two busy cores (~30% of samples in "
        "socket sends), the kernel's middleware and JWT check (~16%), SQLAlchemy running the "
        "write with its outbox row (~7%) and packs' responder (~17%). Writing the outbox row "
        "in the booking's own insert statement (a kernel outbox change) is the next lever"),
    Row("video token, 32 callers", "video_tokens", "≥ 60% of the same server's `/healthz`",
        "410/s, p50 70 ms (27%)", 0.27, video, target_share=0.60,
        remains="~0.5 ms of server CPU per token against ~0.15 ms for `/healthz`, mostly "
        "outside video's code: FastAPI's handling of a POST with a path parameter, the bearer "
        "dependency and JWT decode, the response model, and the grant's audit insert batched "
        "per commit (decision 0029). Writing the grant behind the response would break the "
        "promise that a used token has a stored grant; lighter dependency resolution in the "
        "kernel is the way left."),
    Row("search indexing from events", "search_directory", "≥ 2,000 events/s at 10,000 mentors",
        "338 events/s (2,000 mentors)", None, indexing, before_value=338,
        remains="Facts are written per batch with one statement per group and the documents "
        "follow once per batch (decision 0029); what remains is the envelope validation and "
        "the document build per mentor in Python."),
    Row("search query, text + 3 filters + facets", "search_directory", "p50 ≤ 2× the same SQL",
        "p50 15.8 ms (3.65×)", 1 / 3.65,
        lambda f: p50_against(f, "GET /v1/mentors/search", "floor: same SQL on one", most=2),
        target_share=0.5,
        remains="The same SQL, built once; what remains is the HTTP stack, the query "
        "parameters' validation and the response model of a page with its facets."),
    Row("availability, 30 days, HTTP", "booking_availability",
        "p50 ≤ 1.5× the same SQL + computation", "p50 7.05 ms (2.8×)", 1 / 2.8,
        lambda f: p50_against(f, "GET availability", "floor: same SQL on asyncpg", most=1.5),
        target_share=1 / 1.5,
        remains="The read is one statement on the driver and the answer is built once as "
        "JSON (decision 0036); the floor is now that same statement on a bare asyncpg "
        "connection plus the same computation. What remains is the HTTP stack around the "
        "endpoint (~0.45 ms for this route against 0.06 ms for `/healthz`: FastAPI's routing "
        "to a deep route, query validation and `Deps`), the pool checkout in `own_reads` "
        "(~0.1 ms) and the benchmark's httpx client; a cheaper kernel stack is what it takes"),
    Row("event hop, commit → consumer effect (p50)", "event_hop",
        "p50 ≤ 1.5× the hand-written hop", "p50 2.9 ms (2.2–3.75×)", 1 / 2.2,
        lambda f: p50_against(f, "event hop:", "hand-written hop", most=1.5),
        target_share=1 / 1.5,
        remains="The kernel hop pays what the hand-written one skips: the outbox row and the "
        "relay's mark-published in the producer, the envelope's pydantic validation, the "
        "inbox insert and the handler's own unit of work in the consumer, each a round trip "
        "or ~0.1 ms of CPU. The relay publishing from the committing task (no wake-up of a "
        "separate loop) and the inbox insert folded into the effect's statement would close "
        "most of it."),
    Row("event hop, burst of 16 producers", "event_hop", "≥ 50% of the hand-written burst",
        "— (not in the issue's table)", None,
        lambda f: rate_against(f, "event hop:", "hand-written hop", least=0.5, unit=" events/s"),
        target_share=0.5,
        remains="Under a burst the relay publishes each outbox row and marks the batch, and "
        "the consumer applies batches of up to `consumer_batch_size` in one unit of work "
        "(decision 0027); the remaining cost is per event Python (envelope validation both "
        "ways, the inbox row). A relay that publishes a batch with one awaited flush instead "
        "of one ack per message is the next step."),
    Row("notification fan-out", "notifications_fanout", "≥ 70% of the aiosmtplib loop",
        "95 mails/s (50%)", 0.50,
        lambda f: rate_against(f, "service mails/s", "floor mails/s", least=0.7, unit=" mails/s"),
        target_share=0.70,
        remains="Building the MIME message (~2–3 ms a mail in the email package's header "
        "folding) is paid by both sides; the service also plans each event in the consumer "
        "(contacts, names, one insert, a NOTIFY) and records outcomes, on the same two cores "
        "as the SMTP sink (decision 0032). Building a message once per (template, reader) and "
        "folding planning's reads into one statement are what is left."),
    Row("gateway: `GET /v1/me/packs` through Envoy, 1 caller", "gateway_latency",
        "none (issue 19 sets none)", "+0.72 ms p50, 1.23× (decision 0015)", 1 / 1.23, gateway,
        has_target=False),
    Row("load mix: 200-client throughput against the peak", "load_mix",
        "≥ 0.80× the peak (issue 17)", "56.3 req/s, 1.00× the peak (decision 0023)", 1.0,
        overload, target_share=0.80,
        remains="Booking sheds first (its in-flight bound is near its pool size) while reads "
        "fill the capacity; each refused request costs a 503 with Retry-After, not a queue."),
]  # fmt: skip


def measure(row: Row, run: Run) -> Measured | None:
    """The row's figures from this run, or None when its benchmark did not print them."""
    try:
        return row.measure(run.get(row.benchmark, {}))
    except (KeyError, ZeroDivisionError):
        return None
