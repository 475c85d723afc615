"""The CLI's rich consoles: terminal width on a terminal, no 80-column cut when piped."""

import os
from typing import IO

from rich.console import Console

# Piped or redirected (CI, `make dev | tee`, nohup), rich falls back to 80 columns and cuts
# the ready banner's URLs. Tables do not expand, so a wide limit costs no padding.
PIPED_WIDTH = 1000


def make_console(*, stderr: bool = False, file: IO[str] | None = None) -> Console:
    """A console as wide as the terminal, or PIPED_WIDTH when it writes to no terminal."""
    console = Console(stderr=stderr, file=file)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = PIPED_WIDTH
    return console
