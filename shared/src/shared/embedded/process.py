"""Start and stop a server binary as a child process in its own session."""

import ctypes
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Self

_PR_SET_PDEATHSIG = 1


def spawn(
    argv: Sequence[str], *, log_file: Path, death_signal: int, **popen_kwargs: Any
) -> subprocess.Popen[bytes]:
    """Start `argv` with stdout and stderr appended to `log_file`, in a new session.

    A new session keeps a terminal's Ctrl-C away from the server, so that its owner decides
    the shutdown order (services first, then Postgres, then NATS). `death_signal` reaches
    the server if we die without stopping it (see `parent_death_signal`).
    """
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("ab") as log:
        return subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=parent_death_signal(death_signal),
            **popen_kwargs,
        )


def parent_death_signal(sig: int) -> Callable[[], None] | None:
    """A preexec_fn asking Linux to send `sig` to the child when we die (even by SIGKILL).

    Only from the main thread: the kernel ties the signal to the thread that forked, and a
    worker thread ending would otherwise stop a server that is still wanted.
    """
    if not sys.platform.startswith("linux"):
        return None
    if threading.current_thread() is not threading.main_thread():
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up before fork, called after

    def set_death_signal() -> None:
        prctl(_PR_SET_PDEATHSIG, sig, 0, 0, 0)

    return set_death_signal


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


class Started:
    """`with server:` starts it and stops it on the way out (the embedded servers' base)."""

    def start(self) -> Self:
        raise NotImplementedError

    def stop(self) -> object:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
