"""bench/REPORT.md's charts (matplotlib, Agg: no display): latency of the HTTP paths,
throughput against concurrency, and issue 19 before/after. Each chart is written only when
the run holds its figures; `draw` returns the files it wrote."""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from report_rows import ROWS, Run, find, measure  # noqa: E402

# (benchmark, figure name prefix, label): the HTTP paths whose latency the report draws.
HTTP_PATHS = [
    ("http_stack", "kernel", "packs /healthz"),
    ("http_stack", "bare FastAPI", "bare FastAPI /healthz (floor)"),
    ("payments_webhooks", "payments POST", "POST /v1/webhooks/stripe"),
    ("booking_sessions", "POST /v1/sessions", "POST /v1/sessions"),
    ("video_tokens", "POST token, 32", "POST token, 32 callers"),
    ("video_tokens", "HTTP floor: GET /healthz", "video /healthz (floor)"),
    ("search_directory", "GET /v1/mentors/search", "GET /v1/mentors/search"),
    ("booking_availability", "GET availability", "GET availability (ASGI)"),
    ("gateway_latency", "direct GET /v1/me/packs", "GET /v1/me/packs direct"),
    ("gateway_latency", "gateway GET /api/packs/v1/me/packs", "GET /v1/me/packs via gateway"),
]
# (benchmark, [(figure name prefix, x)], title, x label): throughput at several concurrencies
# (and a consumer's drain rate at several batch sizes).
CONCURRENCY = [
    ("video_tokens", [("POST token, 1 caller", 1), ("POST token, 32", 32)], "video token",
     "concurrent callers"),
    ("load_mix", [("50 clients", 50), ("200 clients", 200)], "load mix, served", "clients"),
    ("consumer_batches", [(f"consumer_batch_size {n}", n) for n in (1, 10, 50, 200)],
     "consumer draining a backlog", "consumer_batch_size (messages per fetch)"),
]  # fmt: skip
QUANTILES = ("p50_ms", "p90_ms", "p99_ms")


def http_latencies(run: Run) -> list[tuple[str, dict[str, object]]]:
    found = []
    for benchmark, prefix, label in HTTP_PATHS:
        try:
            found.append((label, find(run.get(benchmark, {}), prefix)))
        except KeyError:
            continue
    return found


def latency_chart(run: Run, path: Path) -> bool:
    paths = http_latencies(run)
    if not paths:
        return False
    figure, axes = plt.subplots(figsize=(10, 5))
    shown = [q for q in QUANTILES if any(f.get(q) for _, f in paths)]  # p90: recorded only
    width = 0.8 / len(shown)
    for index, quantile in enumerate(shown):
        heights = [float(f.get(quantile, 0) or 0) for _, f in paths]  # type: ignore[arg-type]
        xs = [i + (index - (len(shown) - 1) / 2) * width for i in range(len(paths))]
        axes.bar(xs, heights, width, label=quantile.removesuffix("_ms"))
    axes.set_yscale("log")
    axes.set_ylabel("latency (ms, log scale)")
    axes.set_xticks(range(len(paths)), [label for label, _ in paths], rotation=30, ha="right")
    axes.set_title("HTTP paths: latency percentiles (this run)")
    axes.legend()
    return save(figure, path)


def cdf_chart(run: Run, path: Path) -> bool:
    paths = [(label, f["cdf_ms"]) for label, f in http_latencies(run) if f.get("cdf_ms")]
    if not paths:
        return False
    figure, axes = plt.subplots(figsize=(9, 5))
    for label, cdf in paths:
        points = list(cdf)  # type: ignore[call-overload]
        axes.plot(points, [i / (len(points) - 1) for i in range(len(points))], label=label)
    axes.set_xscale("log")
    axes.set_xlabel("latency (ms, log scale)")
    axes.set_ylabel("share of requests at or below")
    axes.set_title("HTTP paths: latency distribution (recorded samples)")
    axes.legend(fontsize="small")
    return save(figure, path)


def throughput_chart(run: Run, path: Path) -> bool:
    series = []
    for benchmark, points, title, x_label in CONCURRENCY:
        rates = []
        for prefix, x in points:
            try:
                rates.append((x, float(find(run.get(benchmark, {}), prefix)["per_second"])))  # type: ignore[arg-type]
            except (KeyError, TypeError, ValueError):
                continue
        if len(rates) >= 2:  # a line needs two points
            series.append((title, x_label, rates))
    if not series:
        return False
    figure, all_axes = plt.subplots(1, len(series), figsize=(5 * len(series), 4), squeeze=False)
    for axes, (title, x_label, rates) in zip(all_axes[0], series, strict=True):
        axes.plot([n for n, _ in rates], [r for _, r in rates], marker="o")
        axes.set_xscale("log")
        axes.minorticks_off()
        axes.set_xticks([n for n, _ in rates], [str(n) for n, _ in rates])
        axes.set_xlabel(x_label)
        axes.set_ylabel("per second")
        axes.set_ylim(bottom=0)
        axes.set_title(title)
    figure.suptitle("Throughput against concurrency and batch size (this run)")
    return save(figure, path)


def before_after_chart(run: Run, path: Path) -> bool:
    measured = [(row, measure(row, run)) for row in ROWS]
    shares = [(row, m) for row, m in measured if row.before_share is not None or (m and m.share)]
    if not any(m for _, m in measured):
        return False
    figure, (left, right) = plt.subplots(
        1, 2, figsize=(13, 6), gridspec_kw={"width_ratios": [5, 1]}
    )
    ys = range(len(shares))
    left.barh([y + 0.2 for y in ys], [r.before_share or 0 for r, _ in shares], 0.4,
              label="before (issue 19 as filed)", color="#bbbbbb")  # fmt: skip
    left.barh([y - 0.2 for y in ys], [(m.share if m and m.share else 0) for _, m in shares], 0.4,
              label="after (this run)", color="#1f77b4")  # fmt: skip
    for y, (row, _) in zip(ys, shares, strict=True):
        if row.target_share is not None:
            left.plot([row.target_share] * 2, [y - 0.45, y + 0.45], color="#d62728")
    left.plot([], [], color="#d62728", label="target")
    left.set_yticks(list(ys), [row.path.replace("`", "") for row, _ in shares], fontsize="small")
    left.invert_yaxis()
    left.set_xlabel("speed as a share of the same-run floor (1 = the floor; higher is better)")
    left.legend(fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=3)
    indexing = next((row, m) for row, m in measured if row.before_value is not None)
    after = indexing[1].value if indexing[1] and indexing[1].value else 0
    right.bar(["before", "after"], [indexing[0].before_value or 0, after],
              color=["#bbbbbb", "#1f77b4"])  # fmt: skip
    right.axhline(2000, color="#d62728")
    right.set_title("search indexing\n(events/s)", fontsize="small")
    figure.suptitle("Issue 19: before (as filed) and after (this run)")
    return save(figure, path)


def save(figure: Figure, path: Path) -> bool:
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return True


CHARTS = {
    "latency.png": latency_chart,
    "latency_cdf.png": cdf_chart,
    "throughput.png": throughput_chart,
    "before_after.png": before_after_chart,
}


def draw(run: Run, directory: Path) -> list[Path]:
    """Every chart the run has figures for, written into `directory` (old ones removed)."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, chart in CHARTS.items():
        path = directory / name
        path.unlink(missing_ok=True)
        if chart(run, path):
            written.append(path)
    return written
