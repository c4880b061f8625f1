"""Benchmarks that cannot rot (issue 19, item 9): every script in bench/ runs in its tiny mode (--tiny: a
few seconds, a small SQLite database of its own) in a fresh process with the production settings, and
must exit 0. A tiny run exits 1 on any error and on any answer that is not the page it means to measure
(bench/inbox.py once measured the two-step sign-in page for heads and printed medians all the same).

Run once, on SQLite (.ci/run leaves tests/benchmarks out of its PostgreSQL pass). The scripts that need
PostgreSQL (bench/reports.py) or a deployment through nginx and wrk (bench/load/run.py, bench/faults/)
print that they are skipped and exit 0 here; the figures themselves are measured at full size by hand
(docs/benchmarks.md)."""

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

REPO = Path(__file__).resolve().parents[2]

# Scripts run one after the other within a group (inbox.py fills the database the next three reuse).
GROUPS = {
    "deadline engine": [["bench/deadline_engine.py", "--tiny"]],
    "due-time recompute": [["bench/deadline.py", "--tiny"]],
    "inbox, tracking, facts, submission": [["bench/inbox.py", "--tiny"], ["bench/tracking.py", "--tiny"],
                                           ["bench/facts_record.py", "--tiny"], ["bench/submission.py", "--tiny"]],
    "outbox": [["bench/outbox.py", "--tiny"]],  # its drill (--drill --tiny, 3 s of outage) is left to hand runs
    "citizen pages": [["bench/pages.py", "--tiny"]],
    "monthly figures": [["bench/monthly_figures.py", "--tiny"]],
    "needs PostgreSQL or a deployment": [
        ["bench/reports.py", "--tiny"], ["bench/load/run.py", "--tiny"], ["bench/faults/kill9.py", "--tiny"],
        ["bench/faults/pg_restart.py", "--tiny"], ["bench/faults/redis_down.py", "--tiny"],
        ["bench/faults/disk_full.py", "--tiny"]],
}
# What the suite sets for itself and a production process must not inherit.
NOT_INHERITED = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DEBUG", "HUEY_IMMEDIATE", "MOTCUA_LOCAL_RECEIVERS",
                 "MOTCUA_REQUIRE_TOTP", "MOTCUA_HTTPS", "MOTCUA_CHECK_SECRETS", "REDIS_URL", "MOTCUA_STATE",
                 "NGINX_PORT", "SECRET_KEY", "MOTCUA_PAYMENT_SECRET"}


def test_every_script_in_bench_has_a_tiny_run_here():
    scripts = {str(p.relative_to(REPO)) for p in (REPO / "bench").rglob("*.py")
               if p.name not in {"common.py", "drill.py", "__init__.py"} and "__pycache__" not in p.parts}
    assert scripts == {command[0] for group in GROUPS.values() for command in group}


@pytest.fixture(scope="session")
def template(tmp_path_factory, environment) -> Path:
    """A migrated SQLite database every tiny run starts from a copy of (bench/common.py new_sqlite)."""
    path = tmp_path_factory.mktemp("bench-template") / "migrated.sqlite3"
    subprocess.run([sys.executable, "-m", "motcua", "migrate", "--skip-checks", "-v0"], cwd=REPO, check=True,
                   timeout=240, env=environment | {"DATABASE_URL": f"sqlite:///{path}"})
    with sqlite3.connect(path) as db:  # everything in the file itself: the copies take no WAL file with them
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("PRAGMA journal_mode=DELETE")
    return path


@pytest.fixture(scope="session")
def environment() -> dict:
    return {k: v for k, v in os.environ.items() if k not in NOT_INHERITED} | {
        "PYTHONPATH": str(REPO / "src"), "LOG_LEVEL": "WARNING",
        # No deployment here: the drills' tiny runs find nothing on this port and say they are skipped.
        "NGINX_PORT": str(_free_port()),
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="once, on SQLite (see the docstring)")
@pytest.mark.parametrize("group", GROUPS)
def test_the_tiny_run_measures_what_it_means_to(group, tmp_path, environment, template):
    if group == "citizen pages" and not shutil.which("chromium"):
        pytest.skip("Debian's chromium is needed")
    env = environment | {"MOTCUA_BENCH_DIR": str(tmp_path), "MOTCUA_VAR_DIR": str(tmp_path),
                         "MOTCUA_BENCH_TEMPLATE": str(template)}
    for command in GROUPS[group]:
        done = subprocess.run([sys.executable, *command], cwd=REPO, env=env, capture_output=True, text=True,
                              timeout=240)
        assert done.returncode == 0, f"{' '.join(command)} exited {done.returncode}:\n{done.stdout[-3000:]}\n" \
                                     f"{done.stderr[-3000:]}"
