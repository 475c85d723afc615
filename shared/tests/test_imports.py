"""Each kernel module, and each service's `main` (what uvicorn imports first), imports on its own.

An import cycle only shows when a module is the first one imported, which the rest of the
suite never does. One fresh interpreter imports each module first in turn, forgetting our own
modules in between (third-party libraries stay loaded, which keeps this fast).
"""

import pkgutil
import subprocess
import sys

import shared

SERVICES = ["payments", "packs", "booking", "notifications", "video", "search"]

IMPORT_EACH_FIRST = """
import importlib, sys
# prometheus_client too: its global registry would refuse our metrics a second time.
ours = ("shared", "prometheus_client") + tuple(sys.argv[2].split(","))
for name in sys.argv[1].split(","):
    for loaded in [m for m in sys.modules if m.split(".")[0] in ours]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception as exc:
        print(f"{name}: {exc!r}")
"""


def test_every_kernel_module_and_service_entry_point_imports_first():
    kernel = [m.name for m in pkgutil.walk_packages(shared.__path__, prefix="shared.")]
    first = ["shared", *kernel, *(f"{service}.main" for service in SERVICES)]
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_EACH_FIRST, ",".join(first), ",".join(SERVICES)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
