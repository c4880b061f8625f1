"""What the benchmarks share: a database of their own, migrated and empty; the tiny mode.

Every script has a tiny mode (--tiny): a few seconds on a small database, the same code paths, and a
non-zero exit on any error or on an answer that is not the page it means to measure. The test suite runs
each one (tests/benchmarks/test_bench_tiny.py) so that a benchmark cannot silently measure something else. In
tiny mode the SQLite databases go to $MOTCUA_BENCH_DIR (default var/), named bench-tiny-*."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src")]


def sqlite_path(name: str) -> Path:
    """Where a benchmark's SQLite database lives: $MOTCUA_BENCH_DIR (the tiny runs of the tests), or var/."""
    return Path(os.environ.get("MOTCUA_BENCH_DIR") or ROOT / "var") / name


def expect(condition, what: str) -> None:
    """Stop with exit status 1 when a benchmark did not measure what it meant to (tiny and full runs)."""
    if not condition:
        raise SystemExit(f"BENCHMARK FAILED: {what}")


def new_sqlite(path: Path) -> None:
    """Delete the SQLite database at `path` with its WAL files. With $MOTCUA_BENCH_TEMPLATE (a migrated
    database: the tests make one for all the tiny runs), start from a copy of it; migrate then has little to do."""
    import shutil

    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    if os.environ.get("MOTCUA_BENCH_TEMPLATE"):
        shutil.copyfile(os.environ["MOTCUA_BENCH_TEMPLATE"], path)


def fresh_database(sqlite_name: str, flush: bool = True) -> None:
    """SQLite <sqlite_path(sqlite_name)> (deleted first) unless DATABASE_URL is set; then migrate, and empty it."""
    if "DATABASE_URL" not in os.environ:
        path = sqlite_path(sqlite_name)
        new_sqlite(path)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if flush:
        call_command("flush", interactive=False, verbosity=0)


def free_port() -> int:
    """A loopback port nothing listens on now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_secrets() -> dict:
    """Secrets for a server started with DEBUG off (it refuses the built-in ones): random for this run,
    unless the environment already has them."""
    import secrets

    return {name: os.environ.get(name) or secrets.token_urlsafe(48) for name in ("SECRET_KEY", "MOTCUA_PAYMENT_SECRET")}


def gunicorn(app: str = "motcua.wsgi:application", workers: int = 2, *, env: dict | None = None,
             extra_path: str = "", what: str = "gunicorn", server: str = "gunicorn", threads: int = 1):
    """Start gunicorn (sync workers), or granian with `server="granian"`, on a free loopback port; returns (process, port) once it answers.
    Plain http on loopback: HTTPS redirects and secure cookies are off unless `env` turns them on.
    The caller terminates the process."""
    import socket
    import subprocess
    import time

    port = free_port()
    path = str(ROOT / "src") + (os.pathsep + extra_path if extra_path else "")
    if server == "granian":  # HTTP parsed in Rust, keep-alive; the app runs in `threads` threads per worker
        command = [str(Path(sys.executable).parent / "granian"), "--interface", "wsgi", app, "--workers", str(workers),
                   "--blocking-threads", str(threads), "--host", "127.0.0.1", "--port", str(port), "--http", "1", "--no-ws",
                   "--log-level", "warning"]
    else:
        command = [sys.executable, "-m", "gunicorn", app, "-w", str(workers), "-b", f"127.0.0.1:{port}",
                   "--log-level", "warning"]
    process = subprocess.Popen(
        command,
        env={**os.environ, "PYTHONPATH": path, "MOTCUA_HTTPS": "0", **run_secrets(), **(env or {})}, cwd=ROOT,
    )
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"{what} did not start")
