"""What the benchmarks share: a database of their own, migrated and empty."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src")]


def fresh_database(sqlite_name: str, flush: bool = True) -> None:
    """SQLite var/<sqlite_name> (deleted first) unless DATABASE_URL is set; then migrate, and empty it."""
    if "DATABASE_URL" not in os.environ:
        path = ROOT / "var" / sqlite_name
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if flush:
        call_command("flush", interactive=False, verbosity=0)
