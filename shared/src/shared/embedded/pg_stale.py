"""Clear what a killed Postgres leaves behind so that the next start is never blocked."""

import os
import signal
from pathlib import Path

from shared.embedded.ports import wait_until
from shared.embedded.process import pid_is_alive


def clear_stale_lock(data_dir: Path, socket_dir: Path) -> None:
    """Remove a `postmaster.pid` whose server is gone; raise if that server still runs."""
    pidfile = data_dir / "postmaster.pid"
    if not pidfile.exists():
        return
    pid = _read_pid(pidfile)
    if pid is not None:

        def gone() -> bool:
            return not (pid_is_alive(pid) and _works_in(pid, data_dir, unknown=True))

        # A server killed a moment ago may still be exiting: give it a little time.
        if not wait_until(gone, timeout=3.0, interval=0.1):
            raise RuntimeError(f"a Postgres (pid {pid}) is already running on {data_dir}")
    _reap_orphans(data_dir)
    pidfile.unlink(missing_ok=True)
    for lock in socket_dir.glob(".s.PGSQL.*"):
        lock.unlink(missing_ok=True)


def _read_pid(pidfile: Path) -> int | None:
    """The postmaster pid on the first line, None if the file is unreadable."""
    try:
        return int(pidfile.read_text().split("\n", 1)[0].strip())
    except (OSError, ValueError):
        return None


def _works_in(pid: int, data_dir: Path, *, unknown: bool) -> bool:
    """True if process `pid` has `data_dir` as its cwd (every Postgres process does).

    `unknown` is the answer when /proc cannot tell (no /proc, or another user's process).
    """
    try:
        return Path(os.readlink(f"/proc/{pid}/cwd")) == data_dir.resolve()
    except FileNotFoundError:  # the process is gone, or there is no /proc at all
        return unknown if not Path("/proc/self").exists() else False
    except OSError:
        return unknown


def _reap_orphans(data_dir: Path) -> None:
    """Wait for (then kill) backends a killed postmaster left running on `data_dir`."""
    if not Path("/proc/self").exists():
        return

    def orphans() -> list[int]:
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit() and int(entry.name) != os.getpid():
                pid = int(entry.name)
                if _comm(pid) == "postgres" and _works_in(pid, data_dir, unknown=False):
                    found.append(pid)
        return found

    if wait_until(lambda: not orphans(), timeout=5.0, interval=0.2):
        return
    for pid in orphans():
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    wait_until(lambda: not orphans(), timeout=5.0, interval=0.1)


def _comm(pid: int) -> str:
    """The command name of `pid`, '' if it is gone or hidden."""
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""
