"""Turn SIGINT/SIGTERM/SIGHUP into one exception, then keep a shutdown from being cut short."""

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

HANDLED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)  # SIGHUP: terminal closed


class ShutdownRequested(Exception):
    """Ctrl-C, SIGTERM or SIGHUP arrived: stop everything in order."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class SignalGuard:
    """Raises ShutdownRequested on the first signal; later ones only call `on_repeat`."""

    def __init__(self, on_repeat: Callable[[int], None]) -> None:
        self._on_repeat = on_repeat
        self._stopping = False

    def stopping(self) -> None:
        """From now on, signals no longer interrupt: the shutdown is under way."""
        self._stopping = True

    def handle(self, signum: int, frame: FrameType | None) -> None:
        """The signal handler."""
        if self._stopping:
            self._on_repeat(signum)
            return
        self._stopping = True
        raise ShutdownRequested(signum)


@contextmanager
def guarded_signals(on_repeat: Callable[[int], None]) -> Iterator[SignalGuard]:
    """Install a SignalGuard for the HANDLED signals, restoring the old handlers after."""
    guard = SignalGuard(on_repeat)
    previous = {sig: signal.signal(sig, guard.handle) for sig in HANDLED}
    try:
        yield guard
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
