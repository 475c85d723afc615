"""`mentorship dev` restarts a crashed service within a limit and keeps the others running."""

import io
import sys
import time
from pathlib import Path

from rich.console import Console

from mentorship.services import get_service
from mentorship.supervisor import ServiceProcess
from mentorship.watchdog import RestartPolicy, Watchdog

CRASH = [sys.executable, "-c", "print('\\x1b[31mboom\\x1b[0m', flush=True); raise SystemExit(3)"]
SLEEP = [sys.executable, "-c", "import time; time.sleep(60)"]


def process(name: str, command: list[str], tmp_path: Path, console: Console) -> ServiceProcess:
    return ServiceProcess(
        get_service(name),
        port=0,
        env={},
        cwd=tmp_path,
        log_file=tmp_path / f"{name}.log",
        console=console,
        command=command,
    )


def wait_for_exit(proc: ServiceProcess, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while proc.exit_code() is None:
        assert time.monotonic() < deadline, "the process did not exit"
        time.sleep(0.02)


def test_a_crashing_service_is_restarted_up_to_the_limit_then_left_stopped(tmp_path) -> None:
    out = io.StringIO()
    console = Console(file=out, width=300)
    crashing = process("packs", CRASH, tmp_path, console)
    steady = process("booking", SLEEP, tmp_path, console)
    clock = [0.0]
    watchdog = Watchdog(
        [crashing, steady],
        console=console,
        policy=RestartPolicy(max_restarts=2, window_seconds=60, backoff_seconds=(1.0, 5.0)),
        now=lambda: clock[0],
    )
    crashing.start()
    steady.start()
    try:
        for _ in range(10):
            wait_for_exit(crashing)
            watchdog.check()  # sees the crash: schedules a restart, or gives up
            if "packs" in watchdog.given_up:
                break
            clock[0] += 10.0
            watchdog.check()  # the restart is due: starts it again
        assert watchdog.given_up == {"packs"}
        assert steady.exit_code() is None, "the other service must keep running"
    finally:
        crashing.stop(timeout=2)
        steady.stop(timeout=2)
    text = out.getvalue()
    assert "packs exited with code 3; restarting in 1s (restart 1 of 2 within 1 min)" in text
    assert "restarting in 5s (restart 2 of 2" in text
    assert "after 2 restarts within 1 min: left stopped" in text and "packs.log" in text
    log = (tmp_path / "packs.log").read_text()
    assert log.count("boom") == 3 and "\x1b[" not in log  # three runs, colors stripped


def test_restarts_older_than_the_window_no_longer_count(tmp_path) -> None:
    console = Console(file=io.StringIO())
    crashing = process("packs", CRASH, tmp_path, console)
    clock = [0.0]
    watchdog = Watchdog(
        [crashing],
        console=console,
        policy=RestartPolicy(max_restarts=1, window_seconds=60, backoff_seconds=(1.0,)),
        now=lambda: clock[0],
    )
    crashing.start()
    try:
        for _ in range(3):  # a crash every 90 s after its restart: never past the limit
            wait_for_exit(crashing)
            clock[0] += 90.0
            watchdog.check()
            clock[0] += 1.0
            watchdog.check()
        assert watchdog.given_up == set()
    finally:
        crashing.stop(timeout=2)
