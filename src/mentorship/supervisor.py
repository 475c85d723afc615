"""A service run as `uvicorn --factory` in its own process group, its output prefixed."""

import collections
import signal
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.text import Text

from mentorship.services import Service
from shared.embedded.process import parent_death_signal, terminate
from shared.http.server import UVICORN_OPTIONS

COLORS = ("cyan", "magenta", "green", "yellow", "blue", "bright_red")


class ServiceProcess:
    """One service's uvicorn process; `stop()` ends its whole process group."""

    def __init__(
        self,
        service: Service,
        *,
        port: int,
        env: dict[str, str],
        cwd: Path,
        log_file: Path,
        console: Console,
        color: str = "cyan",
        command: Sequence[str] | None = None,
        label: str | None = None,
    ) -> None:
        self.service = service
        # What the console, tables and the watchdog call this process: the service's name,
        # or `packs-2` for the second of several replicas.
        self.label = label or service.name
        self._command = list(command) if command else None
        self.port = port
        self._env = env
        self._cwd = cwd
        self._log_file = log_file
        self._console = console
        self._color = color
        self._tail: collections.deque[str] = collections.deque(maxlen=40)
        self._proc: subprocess.Popen[bytes] | None = None
        self._reader: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """Where the service listens."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Spawn uvicorn in a new session, so that it gets no terminal signal of its own."""
        argv = self._command or [
            sys.executable, "-m", "uvicorn", self.service.app, "--factory",
            "--host", "127.0.0.1", "--port", str(self.port), *UVICORN_OPTIONS,
        ]  # fmt: skip
        self._log_file.parent.mkdir(parents=True, exist_ok=True)
        self._proc = subprocess.Popen(
            argv,
            env=self._env,
            cwd=self._cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=parent_death_signal(signal.SIGTERM),
        )
        self._reader = threading.Thread(target=self._pump, name=f"{self.label}-output", daemon=True)
        self._reader.start()

    @property
    def log_file(self) -> Path:
        """Where everything the service printed is kept (without colors)."""
        return self._log_file

    @property
    def pid(self) -> int | None:
        """The uvicorn process (and its group) while it runs."""
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    def exit_code(self) -> int | None:
        """The exit code once the process has ended, None while it runs."""
        return self._proc.poll() if self._proc is not None else None

    def output_tail(self) -> str:
        """The last lines the service printed."""
        return "".join(self._tail)

    def stop(self, *, timeout: float = 10.0) -> int | None:
        """SIGTERM the process group, SIGKILL it after `timeout`; return the exit code."""
        if self._proc is None:
            return None
        code = terminate(self._proc, sig=signal.SIGTERM, timeout=timeout, whole_group=True)
        if self._reader is not None:
            self._reader.join(timeout=2)
        return code

    def _pump(self) -> None:
        """Copy the child's output to the console (prefixed), its log file and the tail.

        The service colors its lines with ANSI codes (dev mode); they become styles for the
        console, which drops them when it is no terminal, and plain text for the log file.
        """
        assert self._proc is not None and self._proc.stdout is not None
        prefix = Text(f"{self.label:<15}│ ", style=self._color)
        with self._log_file.open("a", encoding="utf-8") as log:
            for raw in self._proc.stdout:
                line = Text.from_ansi(raw.decode("utf-8", errors="replace").rstrip("\n"))
                log.write(line.plain + "\n")
                log.flush()
                self._tail.append(line.plain + "\n")
                self._console.print(Text.assemble(prefix, line), soft_wrap=True)
