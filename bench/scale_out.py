"""Issue 20's benchmark: the same load mix (bench/load_mix.py: availability, searches, bookings,
cancellations, completions, video tokens through the gateway) on one and then on two processes
of every service, on the same machine; throughput, p99, and the services' CPU per served
request of each, and the ratios. On 2 cores a second replica adds no CPU: the throughput
ratio is bounded by it, and CPU per request says what the replicas themselves cost
(decision 0034).

Each configuration gets its own databases, NATS namespace and world (mentors, students,
sessions), set up through the gateway and not measured; then a warm-up and one measured phase;
then bench/load_checks.py's post-checks.

    flock /tmp/bench.lock uv run --no-sync python bench/scale_out.py \
        [--replicas 1,2] [--clients 50] [--seconds 20] [--students 60] [--mentors 6]

Exit status 1 if a post-check fails.
"""

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

from mentorship.journey.harness import behind_gateway
from mentorship.services import SERVICE_NAMES, SERVICES, repo_root
from shared.embedded import EmbeddedPostgres

sys.path.insert(0, str(Path(__file__).parent))
import load_mix  # noqa: E402
from harness import cpu_seconds, create_databases, with_embedded  # noqa: E402
from load_checks import checks  # noqa: E402
from results import record  # noqa: E402


async def one_configuration(
    replicas: int, args: argparse.Namespace, nats_url: str, postgres: EmbeddedPostgres
) -> tuple[dict[str, float], bool]:
    """Start the suite at `replicas` processes per service, set up a world, measure a phase."""
    started = time.monotonic()
    names = {s: f"{s}_r{replicas}" for s in SERVICE_NAMES}
    inis = {names[s]: repo_root() / "services" / s / "alembic.ini" for s in SERVICE_NAMES}
    await create_databases(postgres, inis)
    dbs = {s: postgres.url(names[s]) for s in SERVICE_NAMES}
    workdir = Path(args.workdir) / f"r{replicas}"
    with behind_gateway(
        database_urls={s: postgres.sqlalchemy_url(names[s]) for s in SERVICE_NAMES},
        nats_url=nats_url,
        namespace=f"scaleout{replicas}",
        workdir=workdir,
        replicas=replicas,
        table=load_mix.route_table_for_load(),
    ) as (suite, gateway):
        gateway_port = gateway.port
        print(
            f"\n### {replicas} replica(s) per service: {len(suite.procs)} service processes "
            f"and the gateway up in {time.monotonic() - started:.0f} s; logs in {workdir}"
        )
        world = load_mix.make_world("so", mentors=args.mentors, students=args.students)
        await load_mix.set_up(gateway_port, world, dbs, ahead=args.ahead)
        print(f"  {await load_mix.settle(dbs, within=240)} (the clock jump's reminders)")
        await load_mix.phase(gateway_port, world, clients=20, seconds=args.warmup, seed=1)
        print(f"  {await load_mix.settle(dbs)}; loadavg {load_mix.loadavg()}")
        pids = {name: proc.pid for name, proc in suite.procs.items() if proc.pid}
        cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()}
        gateway_before = cpu_seconds(gateway.pid)
        result = await load_mix.phase(
            gateway_port, world, clients=args.clients, seconds=args.seconds, seed=100
        )
        cpu = {name: cpu_seconds(pid) - cpu_before[name] for name, pid in pids.items()}
        gateway_cpu = cpu_seconds(gateway.pid) - gateway_before
        figures = load_mix.report(f"{replicas} replica(s), {args.clients} clients", result)
        served = figures["served_per_s"] * result["elapsed"]
        figures["service_cpu_ms_per_request"] = 1000 * sum(cpu.values()) / max(served, 1)
        figures["gateway_cpu_ms_per_request"] = 1000 * gateway_cpu / max(served, 1)
        print("   service CPU s: " + ", ".join(f"{n} {c:.1f}" for n, c in cpu.items()))
        print(
            f"   CPU per served request: services {figures['service_cpu_ms_per_request']:.2f} "
            f"ms, gateway {figures['gateway_cpu_ms_per_request']:.2f} ms; "
            f"loadavg after: {load_mix.loadavg()}"
        )
        print(f"  {await load_mix.settle(dbs)}")
        ok = await checks(dbs)
        failed = [n for n, p in suite.procs.items() if p.exit_code() is not None]
        if failed:
            print(f"   [FAIL] processes exited during the run: {failed}")
            ok = False
    return figures, ok


async def run(args: argparse.Namespace, nats_url: str, postgres: EmbeddedPostgres) -> None:
    print(f"loadavg at start: {load_mix.loadavg()}")
    started = time.monotonic()
    figures: dict[int, dict[str, float]] = {}
    ok = True
    for replicas in args.replicas:
        figures[replicas], passed = await one_configuration(replicas, args, nats_url, postgres)
        ok = ok and passed
        record(f"scale_out {replicas} replica(s)", figures[replicas])
    print(f"\n== scale out, {args.clients} clients, {args.seconds:.0f} s each")
    print(f"   {'replicas':>8} {'req/s':>8} {'p99 ms':>8} {'svc CPU ms/req':>15} {'gw CPU':>8}")
    for replicas, f in figures.items():
        print(
            f"   {replicas:>8} {f['served_per_s']:>8.1f} {f['p99_ms']:>8.0f} "
            f"{f['service_cpu_ms_per_request']:>15.2f} {f['gateway_cpu_ms_per_request']:>8.2f}"
        )
    if len(figures) >= 2:
        low, high = min(figures), max(figures)
        a, b = figures[low], figures[high]
        print(
            f"   {high} vs {low}: throughput x{b['served_per_s'] / a['served_per_s']:.2f}, "
            f"p99 x{b['p99_ms'] / a['p99_ms']:.2f}, service CPU per request "
            f"x{b['service_cpu_ms_per_request'] / a['service_cpu_ms_per_request']:.2f} "
            f"(on {len(SERVICES)} services sharing 2 cores: the CPU bounds the gain)"
        )
    print(f"\nloadavg at end: {load_mix.loadavg()}; {time.monotonic() - started:.0f} s in all")
    if not ok:
        raise SystemExit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", type=lambda s: [int(x) for x in s.split(",")], default=[1, 2])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0, help="the measured phase")
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--students", type=int, default=60)
    parser.add_argument("--mentors", type=int, default=6)
    parser.add_argument("--ahead", type=int, default=12, help="started sessions per mentor")
    parser.add_argument("--workdir", default=None, help="logs here (default: a temp dir)")
    args = parser.parse_args()
    if args.workdir is None:
        args.workdir = tempfile.mkdtemp(prefix="scale-out-")
    asyncio.run(with_embedded(run, args))


if __name__ == "__main__":
    main()
