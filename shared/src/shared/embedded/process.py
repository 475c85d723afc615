"""Start and stop a server binary as a child process in its own session."""

import os
import signal
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def spawn(argv: Sequence[str], *, log_file: Path, **popen_kwargs: Any) -> subprocess.Popen[bytes]:
    """Start `argv` with stdout and stderr appended to `log_file`, in a new session.

    A new session keeps a terminal's Ctrl-C away from the server, so that its owner decides
    the shutdown order (services first, then Postgres, then NATS).
    """
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("ab") as log:
        return subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            **popen_kwargs,
        )


def terminate(
    proc: subprocess.Popen[bytes],
    *,
    sig: int = signal.SIGTERM,
    timeout: float = 15.0,
    whole_group: bool = False,
) -> int:
    """Send `sig` (to the leader, or its whole group), SIGKILL the group after `timeout`.

    Returns the exit code. Postgres wants the signal on the postmaster alone (its children
    read SIGINT differently); a plain server or a uvicorn tree can take it group-wide.
    """
    if proc.poll() is None:
        if whole_group:
            signal_group(proc.pid, sig)
        else:
            proc.send_signal(sig)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
    signal_group(proc.pid, signal.SIGKILL)  # whatever is left of the group
    return proc.wait(timeout=10)


def signal_group(pgid: int, sig: int) -> None:
    """Signal a process group, ignoring one that is already gone."""
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def pid_is_alive(pid: int) -> bool:
    """True when a process with this pid exists (whoever owns it)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
