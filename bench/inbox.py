"""Inbox pages under load: N dossiers (default 1,000,000; seed-demo --bulk), 16 staff users at once.

    .ci/with-postgres env PYTHONPATH=src .venv/bin/python bench/inbox.py              # PostgreSQL, 1M
    PYTHONPATH=src .venv/bin/python bench/inbox.py --dossiers 100000                  # SQLite
    PYTHONPATH=src .venv/bin/python bench/inbox.py --tiny      # 200 dossiers, 5 officers, 3 s (the tests)

The database is filled once (it is reused when it already holds the dossiers: --refill to start over).
The pages are served by gunicorn (sync workers) on loopback; each of --users client threads signs in as a
different officer (a session made for it, as after signing in: heads, who must use two-step sign-in, are
enrolled with an authenticator first) and asks for its personal inbox and its unit inbox in turn for
--seconds, at once or after about --think seconds (0.5–1.5 times, at random, so that the officers do not
click in step). Prints median, p95 and p99 per page, pages per second and errors, and the number of database
queries each page makes (measured in-process on pages with few and many rows: it must not grow with rows).
An answer that is not the inbox page (the two-step sign-in page, an error page…) is an error; the script
exits 1 when there is any.
"""

import argparse
import itertools
import os
import statistics
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(Path(__file__).resolve().parent)]
from common import expect, gunicorn, new_sqlite, run_secrets, sqlite_path  # noqa: E402

PAGES = {"personal": "/mot-cua/cua-toi/", "unit": "/mot-cua/don-vi/"}
ROLES = ["specialist", "head_of_division", "head_of_agency", "one_stop_officer", "clerk"]
# Only the inbox page has this table: the sign-in, two-step and error pages do not.
INBOX_MARKER = b'<table class="inbox">'
DATABASE = "bench-inbox.sqlite3"


def database(dossiers: int, refill: bool) -> None:
    if "DATABASE_URL" not in os.environ:
        if not sqlite_path(DATABASE).exists():
            new_sqlite(sqlite_path(DATABASE))
        os.environ["DATABASE_URL"] = f"sqlite:///{sqlite_path(DATABASE)}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    os.environ["MOTCUA_DEMO"] = "1"
    os.environ["MOTCUA_HTTPS"] = "0"  # plain http on loopback, in this process as in the server's (common.py)
    # The server's secrets (its SECRET_KEY signs the sessions made here): the same in both processes.
    os.environ.update(run_secrets())
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from motcua.dossiers.models import Dossier

    call_command("migrate", verbosity=0)
    have = Dossier.objects.count()
    if have >= dossiers and not refill:
        print(f"reusing {have:,} dossiers ({connection.vendor})", flush=True)
        return
    if have:
        call_command("flush", interactive=False, verbosity=0)
    began = time.perf_counter()
    call_command("seed_demo", dossiers=0, bulk=dossiers, stdout=open(os.devnull, "w"))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"filled {Dossier.objects.count():,} dossiers in {time.perf_counter() - began:.0f} s ({connection.vendor})", flush=True)


def enrol_second_factor(user) -> None:
    """Two-step sign-in turned on, as every head must before working (MOTCUA_REQUIRE_TOTP): the session
    made below then stands for one signed in with password and code."""
    import pyotp
    from django.db import transaction

    from motcua.org import selectors, services

    if not selectors.may_use_totp(user) or selectors.totp_required(user):
        return
    with transaction.atomic():
        device = services.start_totp_enrolment(user)
        services.confirm_totp(user, pyotp.TOTP(device.secret).now())


def officers(count: int, one_per_role: bool = False):
    """`count` officers with acting roles, a mix of roles and units, and a session cookie for each (with
    `one_per_role`, the first officer of each role in turn, so that a few officers cover every role)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from motcua.org.models import RoleAssignment

    chosen, seen = [], set()
    assignments = RoleAssignment.objects.filter(role__in=ROLES, user__is_system=False).select_related("user")
    ordered = sorted(assignments, key=lambda r: (ROLES.index(r.role), r.pk))
    if one_per_role:
        by_role = [[ra for ra in ordered if ra.role == role] for role in ROLES]
        ordered = [ra for turn in itertools.zip_longest(*by_role) for ra in turn if ra is not None]
    for ra in ordered:
        if ra.user_id not in seen:
            seen.add(ra.user_id)
            chosen.append(ra.user)
    chosen = chosen[:count]
    cookies = []
    for user in chosen:
        enrol_second_factor(user)
        session = SessionStore()
        session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies.append((user.username, f"sessionid={session.session_key}"))
    return cookies


def queries_per_page():
    """Queries for each page, for the officer with the fewest and the one with the most rows on page 1."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from motcua.org.models import User

    counts = {}
    for name, path in PAGES.items():
        seen = []
        for user in User.objects.filter(role_assignments__role__in=ROLES, is_system=False).distinct()[:40]:
            enrol_second_factor(user)
            client = Client()
            client.force_login(user)
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(path)
            expect(response.status_code == 200 and INBOX_MARKER in response.content,
                   f"{path} for {user.username} is not the inbox page (HTTP {response.status_code})")
            rows = response.content.count(b'<tr class="')
            seen.append((rows, len(ctx.captured_queries)))
        counts[name] = sorted(set(seen))
    return counts


def serve(workers: int):
    """The site under gunicorn, as production runs it (DEBUG off); returns (process, port)."""
    return gunicorn(workers=workers, env={"DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1"})


def load(port: int, cookies, seconds: int, think: float = 0.0):
    timings = {name: [] for name in PAGES}
    errors = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def user_loop(cookie):
        import random

        rng = random.Random(cookie)
        mine = {name: [] for name in PAGES}
        if think:  # officers do not all start, nor click, in step: 0.5–1.5 × the think time, staggered start
            time.sleep(rng.uniform(0, think))
        while time.monotonic() < stop:
            for name, path in PAGES.items():
                request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Cookie": cookie})
                began = time.perf_counter()
                try:
                    with urllib.request.urlopen(request, timeout=30) as response:
                        body = response.read()
                    ok = response.status == 200 and INBOX_MARKER in body
                except Exception as exc:  # noqa: BLE001 (counted and reported, not hidden)
                    ok, body = False, str(exc).encode()
                elapsed = time.perf_counter() - began
                if ok:
                    mine[name].append(elapsed)
                else:
                    with lock:
                        errors.append(body[:200])
                if think:
                    time.sleep(rng.uniform(0.5 * think, 1.5 * think))
        with lock:
            for name in PAGES:
                timings[name].extend(mine[name])

    threads = [threading.Thread(target=user_loop, args=(cookie,)) for _, cookie in cookies]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return timings, errors


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--refill", action="store_true")
    parser.add_argument("--think", type=float, default=0.0,
                        help="seconds each officer waits between two pages (0: ask again at once)")
    parser.add_argument("--tiny", action="store_true",
                        help="200 dossiers in their own SQLite database, one officer of each role, 3 s (the tests)")
    args = parser.parse_args()
    global DATABASE
    if args.tiny:
        DATABASE = "bench-tiny-inbox.sqlite3"
        args.dossiers, args.users, args.seconds, args.workers, args.think = 200, len(ROLES), 3, 2, 0.0
    database(args.dossiers, args.refill)
    from django.db import connection

    print("queries per page (rows on page → queries):", queries_per_page(), flush=True)
    cookies = officers(args.users, one_per_role=args.tiny)
    connection.close()
    server, port = serve(args.workers)
    try:
        if not args.tiny:
            load(port, cookies[:2], 3)  # warm the workers
        timings, errors = load(port, cookies, args.seconds, args.think)
    finally:
        server.terminate()
        server.wait()
    total = sum(len(v) for v in timings.values())
    print(f"{connection.vendor}, {args.users} users (think {args.think:g} s), {args.workers} gunicorn workers, {args.seconds} s: "
          f"{total / args.seconds:.1f} pages/s, {len(errors)} errors")
    for name, values in timings.items():
        if values:
            print(f"  {name:<8} n={len(values):>5}  median {statistics.median(values) * 1000:6.1f} ms  "
                  f"p95 {pct(values, 95) * 1000:6.1f} ms  p99 {pct(values, 99) * 1000:6.1f} ms")
    if errors:
        print("  first error:", errors[0])
    expect(not errors, f"{len(errors)} answers were not the inbox page")
    expect(all(timings.values()), "a page was never measured")


if __name__ == "__main__":
    main()
