"""`python -m shared.migrate_service <service>`: upgrade <SERVICE>_DATABASE_URL to head.

What a service image runs before the service starts (Kubernetes init container, compose
one-shot): it needs only the service's own package, not the `mentorship` operator CLI.
"""

import importlib
import os
import sys

from shared.migrate import upgrade_to_head


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m shared.migrate_service <service>", file=sys.stderr)
        return 2
    service = argv[0]
    variable = f"{service.upper()}_DATABASE_URL"
    database_url = os.environ.get(variable, "")
    if not database_url:
        print(f"{variable} is not set", file=sys.stderr)
        return 2
    try:
        alembic_ini = importlib.import_module(f"{service}.main").ALEMBIC_INI
    except (ImportError, AttributeError):
        print(f"{service}: no such service in this image", file=sys.stderr)
        return 2
    upgrade_to_head(alembic_ini, database_url)
    print(f"migrated {service}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
