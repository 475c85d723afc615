"""Restarts a service that crashed under `mentorship dev`, within a limit, saying what it does."""

import signal
import time
from collections import defaultdict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.console import Console

from mentorship.supervisor import ServiceProcess


@dataclass(frozen=True)
class RestartPolicy:
    """At most `max_restarts` within `window_seconds`, waiting longer before each one."""

    max_restarts: int = 3
    window_seconds: float = 300.0
    backoff_seconds: tuple[float, ...] = (1.0, 3.0, 10.0)

    def delay_before(self, restart_number: int) -> float:
        """Seconds to wait before the `restart_number`-th restart (1-based) of the window."""
        return self.backoff_seconds[min(restart_number, len(self.backoff_seconds)) - 1]


def how_it_ended(code: int) -> str:
    """'with code 1' or 'by SIGKILL'."""
    if code < 0:
        try:
            return f"by {signal.Signals(-code).name}"
        except ValueError:
            return f"by signal {-code}"
    return f"with code {code}"


class Watchdog:
    """Call `check()` in the watch loop: it never blocks and never stops the other services."""

    def __init__(
        self,
        procs: Sequence[ServiceProcess],
        *,
        console: Console,
        policy: RestartPolicy | None = None,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self._procs = list(procs)
        self._console = console
        self._policy = policy or RestartPolicy()
        self._now = now
        self._restarts: defaultdict[str, deque[float]] = defaultdict(deque)
        self._due: dict[str, float] = {}
        self.given_up: set[str] = set()

    def check(self) -> None:
        for proc in self._procs:
            name = proc.label
            if name in self.given_up:
                continue
            if name in self._due:
                if self._now() >= self._due[name]:
                    del self._due[name]
                    self._restarts[name].append(self._now())
                    proc.start()
                continue
            code = proc.exit_code()
            if code is not None:
                self._after_crash(proc, code)

    def _after_crash(self, proc: ServiceProcess, code: int) -> None:
        name, policy = proc.label, self._policy
        recent = self._restarts[name]
        while recent and self._now() - recent[0] > policy.window_seconds:
            recent.popleft()
        minutes = f"{policy.window_seconds / 60:g} min"
        if len(recent) >= policy.max_restarts:
            self.given_up.add(name)
            self._console.print(
                f"[bold red]{name} exited {how_it_ended(code)} after {len(recent)} restarts "
                f"within {minutes}: left stopped[/]; the other services keep running. "
                f"Its log: {proc.log_file} — fix it, then restart `make dev`."
            )
            return
        delay = policy.delay_before(len(recent) + 1)
        self._due[name] = self._now() + delay
        self._console.print(
            f"[bold yellow]{name} exited {how_it_ended(code)}[/]; restarting in {delay:g}s "
            f"(restart {len(recent) + 1} of {policy.max_restarts} within {minutes})"
        )
