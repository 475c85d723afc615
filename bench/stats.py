"""Percentiles and printing shared by the benchmarks."""

import statistics


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary_ms(samples: list[float]) -> dict[str, float]:
    """p50/p99/mean in milliseconds from samples in seconds."""
    return {
        "p50": percentile(samples, 50) * 1000,
        "p99": percentile(samples, 99) * 1000,
        "mean": statistics.fmean(samples) * 1000,
    }


def print_row(name: str, samples: list[float], per_second: float | None = None) -> None:
    s = summary_ms(samples)
    rate = f"{per_second:10.0f}/s" if per_second is not None else " " * 12
    print(f"{name:<44} p50 {s['p50']:7.3f} ms  p99 {s['p99']:7.3f} ms  {rate}")


def p50(samples: list[float]) -> float:
    """The upper median, as the benchmarks' ratios have always taken it."""
    return sorted(samples)[len(samples) // 2]


def rotated(names: list[str], round_: int) -> list[str]:
    """`names` rotated by the round: interleaved rounds share machine load alike."""
    shift = round_ % len(names)
    return names[shift:] + names[:shift]


def durability(fast_postgres: bool) -> str:
    return "fsync off" if fast_postgres else "durable commits"
