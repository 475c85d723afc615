"""Where the running dev stack is: `.dev/stack.json`, written by `mentorship dev`."""

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class StackInfo:
    """URLs of the dev stack's NATS, Postgres, services and gateway."""

    nats_url: str
    postgres_url: str = ""
    services: dict[str, str] = field(default_factory=dict)
    gateway_url: str = ""  # the one base URL of the suite; "" in files of older stacks


def stack_file(root: Path) -> Path:
    return root / ".dev" / "stack.json"


def write_stack(root: Path, info: StackInfo) -> None:
    path = stack_file(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(asdict(info), indent=2))


def read_stack(root: Path) -> StackInfo | None:
    """The running stack's URLs, or None when `mentorship dev` is not running."""
    try:
        return StackInfo(**json.loads(stack_file(root).read_text()))
    except (OSError, ValueError, TypeError):
        return None


def forget_stack(root: Path) -> None:
    stack_file(root).unlink(missing_ok=True)
