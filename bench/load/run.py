"""Load: citizens tracking and submitting, staff working their inboxes, all at once, against the deployment.

    MOTCUA_STATE=/work/pgload/state deploy/exec .venv/bin/python bench/load/run.py --seconds 60

Run through deploy/exec so that it reads the deployment's database (DATABASE_URL) to pick its data; the
requests go through nginx (--url, default http://127.0.0.1:$NGINX_PORT). Four wrk processes (Debian's
wrk, Lua scripts beside this file) run side by side for --seconds, each with its own connections:

- tracking: POST /tra-cuu/ (dossier code + the phone on it, CSRF cookie and field), 2,000 dossiers
  sampled from the database; --track-conns connections asking again at once (or after --track-delay ms);
- submit: POST /api/v1/dossiers with the demo province's system key and a new Idempotency-Key each time;
  bodies made from the procedure, case and agencies of sampled dossiers; --submit-conns connections;
- refused (only with --only refused): the same submissions without the applicant, which the API refuses
  (422) after the key, the rate limit and the body's validation but before any write: the fixed cost of
  one API request, which no submission can go below;
- inbox-personal, inbox-unit: GET /mot-cua/cua-toi/ and /mot-cua/don-vi/ as --staff officers
  (specialists, one-stop officers, clerks: roles that need no second factor), each with a session, half on
  each page, reading a page for about --think seconds (0.5-1.5 times, at random) before the next click.

Prints per endpoint: requests, throughput, p50/p95/p99/max latency, errors (connection errors + answers
other than the scenario's own: 302 for look-ups, 200 for inbox pages, 201 for submissions, 422 for refused ones), and checks in the database that every acknowledged submission (201) exists.
wrk is closed-loop: a connection sends its next request when the previous answer arrives.
"""

import argparse
import collections
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path[:0] = [str(ROOT / "src")]

CSRF = "loadtestcsrftoken0123456789abcde"  # 32 characters, as a browser's cookie and form field
STAFF_ROLES = ["specialist", "one_stop_officer", "clerk"]  # heads must use a second factor: not scripted
FIRST_NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Thu Dung", "Hoàng Minh Đức",
               "Vũ Thị Hà", "Đặng Quốc Huy", "Bùi Thị Lan", "Đỗ Văn Nam", "Ngô Thị Phương"]


def django_setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua_site.settings")
    import django

    django.setup()


def tracking_pairs(count: int) -> list[tuple[str, str]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT code, phone FROM dossiers_dossier TABLESAMPLE SYSTEM (2) WHERE phone <> '' LIMIT %s", [count])
        rows = cursor.fetchall()
    if len(rows) < count // 2:
        with connection.cursor() as cursor:
            cursor.execute("SELECT code, phone FROM dossiers_dossier WHERE phone <> '' ORDER BY id DESC LIMIT %s", [count])
            rows = cursor.fetchall()
    return rows


def api_key() -> str:
    """The demo province's system key (seed-demo), or a new key for its system account."""
    from motcua.demo import DEMO_API_TOKEN
    from motcua.org.models import ApiToken, User

    if ApiToken.objects.filter(key_hash=ApiToken.hash(DEMO_API_TOKEN), revoked_at__isnull=True).exists():
        return DEMO_API_TOKEN
    _, raw = ApiToken.issue(User.objects.get(username="he-thong-dvcqg"), "bench/load")
    return raw


def personal_id(rng: random.Random) -> tuple[str, str]:
    """A well-formed 12-digit personal ID (Hà Nội, born in the 1900s) and the matching birth date."""
    year = rng.randint(1950, 1999)
    gender = rng.choice("01")
    return f"001{gender}{year % 100:02d}{rng.randint(0, 999999):06d}", f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{year}"


def submission_bodies(count: int, seed: int = 7, one_centre: bool = False) -> list[str]:
    """JSON bodies for POST /api/v1/dossiers: procedure, case and agencies as on the latest 5,000 dossiers;
    with `one_centre`, only those of the receiving agency found with the most procedures (a province's
    public administration centre receives most of its dossiers under one agency, i.e. one day counter)."""
    from django.db import connection
    from django.utils import timezone

    from motcua.catalog.models import ProcedureVersion

    in_force = set(ProcedureVersion.objects.in_force(timezone.localdate()).values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT DISTINCT p.code, c.code, ra.identifier_code, ca.identifier_code, d.procedure_version_id
               FROM (SELECT * FROM dossiers_dossier ORDER BY id DESC LIMIT 5000) d
               JOIN catalog_case c ON c.id = d.case_id
               JOIN catalog_procedureversion v ON v.id = d.procedure_version_id
               JOIN catalog_procedure p ON p.id = v.procedure_id
               JOIN org_agency ra ON ra.id = d.receiving_agency_id
               JOIN org_agency ca ON ca.id = d.competent_agency_id""")
        combos = [row[:4] for row in cursor.fetchall() if row[4] in in_force]
    if one_centre and combos:
        centre = collections.Counter(row[2] for row in combos).most_common(1)[0][0]
        combos = [row for row in combos if row[2] == centre]
    if not combos:
        raise SystemExit("no dossiers of a procedure version in force to copy submissions from")
    rng = random.Random(seed)
    bodies = []
    for i in range(count):
        procedure, case, receiving, competent = combos[i % len(combos)]
        pid, born = personal_id(rng)
        bodies.append(json.dumps({
            "procedure": procedure, "case": case, "channel": 1, "receiving_agency": receiving,
            "competent_agency": competent,
            "applicant": {"name": rng.choice(FIRST_NAMES), "personal_id": pid, "birth_date": born,
                          "phone": f"09{rng.randint(10000000, 99999999)}"},
            "summary": "Hồ sơ thử tải (bench/load)",
        }, ensure_ascii=False))
    return bodies


def officer_cookies(count: int) -> list[str]:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from motcua.org.models import RoleAssignment

    # Officers of each role in turn (a specialist, a one-stop officer, a clerk, …), each user once.
    by_role, seen = {role: [] for role in STAFF_ROLES}, set()
    for ra in (RoleAssignment.objects.filter(role__in=STAFF_ROLES, user__is_system=False, user__is_active=True)
               .select_related("user").order_by("pk")):
        if ra.user_id not in seen:
            seen.add(ra.user_id)
            by_role[ra.role].append(ra.user)
    picked = []
    while any(by_role.values()) and len(picked) < count:
        for role in STAFF_ROLES:
            if by_role[role] and len(picked) < count:
                picked.append(by_role[role].pop(0))
    cookies = []
    for user in picked[:count]:
        session = SessionStore()
        session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies.append(f"sessionid={session.session_key}")
    return cookies


def dead_dossier_rows() -> str:
    """Dead row versions in the dossier table: many of them slow every scan (docs/deployment.md, Vacuum)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return "?"
    with connection.cursor() as cursor:
        cursor.execute("SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'dossiers_dossier'")
        return f"{cursor.fetchone()[0]:,}"


def check_bodies(url: str, key: str, bodies: list[str], run: str) -> list[str]:
    """Send each distinct body once (also warms the servers); keep those the API accepts."""
    kept, refused = [], {}
    for i, body in enumerate(bodies):
        request = urllib.request.Request(f"{url}/api/v1/dossiers", data=body.encode(), method="POST", headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {key}", "Idempotency-Key": f"{run}-check-{i}"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                if response.status == 201:
                    kept.append(body)
        except urllib.error.HTTPError as exc:
            refused[exc.code] = exc.read()[:300].decode(errors="replace")
    if refused:
        print(f"  {len(bodies) - len(kept)} of {len(bodies)} sample bodies refused, e.g. {refused}", flush=True)
    if not kept:
        raise SystemExit("the API refused every submission body")
    return kept


RESULT = re.compile(r"RESULT (\S+) (\d+) (\S+) (\S+) (\S+) (\S+) (\S+) (\S+) (\d+) (\d+) ?(\S*)")


def run_wrk(url: str, seconds: int, plans: list[dict]) -> list[dict]:
    procs = []
    for plan in plans:
        env = dict(os.environ, LOAD_LIB=str(HERE), **plan["env"])
        cmd = ["wrk", "-t1", f"-c{plan['conns']}", f"-d{seconds}s", "--timeout", "10s", "-s", str(HERE / plan["script"]), url]
        procs.append((plan, subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)))
    results = []
    for plan, proc in procs:
        out, _ = proc.communicate()
        match = RESULT.search(out)
        if not match:
            raise SystemExit(f"wrk ({plan['script']}) gave no result:\n{out}")
        name, total, duration, p50, p95, p99, worst, mean, sock, bad, statuses = match.groups()
        results.append({"name": name, "requests": int(total), "rate": int(total) / float(duration), "p50": float(p50),
                        "p95": float(p95), "p99": float(p99), "max": float(worst), "mean": float(mean),
                        "errors": int(sock) + int(bad), "socket_errors": int(sock), "statuses": statuses})
    return results


def answers(url: str) -> bool:
    """Whether the deployment's /readyz answers 200."""
    try:
        with urllib.request.urlopen(f"{url}/readyz", timeout=2) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=f"http://127.0.0.1:{os.environ.get('NGINX_PORT', '8090')}")
    parser.add_argument("--seconds", type=int, default=60, help="600 for the 10-minute run")
    parser.add_argument("--track-conns", type=int, default=16)
    parser.add_argument("--track-delay", type=int, default=0, help="ms each tracking connection waits between requests")
    parser.add_argument("--submit-conns", type=int, default=8)
    parser.add_argument("--submit-delay", type=int, default=0, help="ms each submitting connection waits")
    parser.add_argument("--staff", type=int, default=16, help="officers, half on each inbox page")
    parser.add_argument("--think", type=float, default=2.0, help="seconds an officer reads a page")
    parser.add_argument("--only", choices=["tracking", "submit", "inbox", "refused"], help="one scenario alone")
    parser.add_argument("--one-centre", action="store_true", help="every submission to one receiving agency")
    parser.add_argument("--tiny", action="store_true",
                        help="3 s, 2 connections each, 2 officers (skipped without wrk or a deployment)")
    args = parser.parse_args()
    if args.tiny:
        missing = "wrk" if shutil.which("wrk") is None else "" if answers(args.url) else f"a deployment at {args.url}"
        if missing:
            print(f"skipped: no {missing} (deploy/up, apt-get install wrk; run through deploy/exec)")
            return
        args.seconds, args.track_conns, args.submit_conns, args.staff, args.think = 3, 2, 1, 2, 0.5
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    django_setup()
    from django.db import connection

    from motcua.dossiers.models import Dossier, IdempotencyRecord

    run = f"load{int(time.time())}"
    began = time.perf_counter()
    pairs = tracking_pairs(2000)
    key = api_key()
    bodies = submission_bodies(300, one_centre=args.one_centre)
    cookies = officer_cookies(args.staff)
    dossiers_before = Dossier.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    connection.close()
    bodies = check_bodies(args.url, key, bodies, run)
    dead = dead_dossier_rows()
    checked_up_to = Dossier.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    connection.close()
    print(f"{run}: {len(pairs):,} dossiers to track, {len(bodies)} submission bodies, {len(cookies)} officers; "
          f"prepared in {time.perf_counter() - began:.0f} s; {dead} dead dossier rows waiting for a vacuum", flush=True)

    tmp = Path(tempfile.mkdtemp(prefix="motcua-load-"))
    (tmp / "pairs").write_text("".join(f"{c} {p}\n" for c, p in pairs))
    (tmp / "bodies").write_text("\n".join(bodies) + "\n")
    (tmp / "refused").write_text("".join(json.dumps({k: v for k, v in json.loads(b).items() if k != "applicant"},
                                                    ensure_ascii=False) + "\n" for b in bodies))
    half = max(1, len(cookies) // 2)
    (tmp / "staff-1").write_text("\n".join(cookies[:half]) + "\n")
    (tmp / "staff-2").write_text("\n".join(cookies[half:] or cookies[:half]) + "\n")
    think = str(int(args.think * 1000))
    plans = {
        "tracking": [{"script": "track.lua", "conns": args.track_conns,
                      "env": {"LOAD_DATA": str(tmp / "pairs"), "LOAD_CSRF": CSRF, "LOAD_DELAY_MS": str(args.track_delay)}}],
        "submit": [{"script": "submit.lua", "conns": args.submit_conns,
                    "env": {"LOAD_DATA": str(tmp / "bodies"), "LOAD_TOKEN": key, "LOAD_RUN": run,
                            "LOAD_DELAY_MS": str(args.submit_delay)}}],
        "refused": [{"script": "submit.lua", "conns": args.submit_conns,
                     "env": {"LOAD_DATA": str(tmp / "refused"), "LOAD_TOKEN": key, "LOAD_RUN": run, "LOAD_NAME": "refused",
                             "LOAD_EXPECT": "422", "LOAD_DELAY_MS": str(args.submit_delay)}}],
        "inbox": [{"script": "inbox.lua", "conns": half, "env": {"LOAD_DATA": str(tmp / "staff-1"), "LOAD_PATH": "/mot-cua/cua-toi/",
                                                                 "LOAD_NAME": "inbox-personal", "LOAD_THINK_MS": think}},
                  {"script": "inbox.lua", "conns": max(1, len(cookies) - half),
                   "env": {"LOAD_DATA": str(tmp / "staff-2"), "LOAD_PATH": "/mot-cua/don-vi/", "LOAD_NAME": "inbox-unit",
                           "LOAD_THINK_MS": think}}],
    }
    chosen = [p for name, group in plans.items() if args.only == name or (args.only is None and name != "refused")
              for p in group]
    load_before = os.getloadavg()[0]
    results = run_wrk(args.url, args.seconds, chosen)
    shutil.rmtree(tmp)

    print(f"{args.seconds} s against {args.url}; tracking {args.track_conns} conns, submit {args.submit_conns} conns, "
          f"{len(cookies)} officers thinking {args.think:g} s; load average before {load_before:.1f}, after {os.getloadavg()[0]:.1f}")
    print(f"  {'endpoint':<15} {'requests':>9} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>8} {'errors':>6}")
    for r in results:
        extra = f"  (unexpected statuses: {r['statuses']})" if r["statuses"] else ""
        print(f"  {r['name']:<15} {r['requests']:>9,} {r['rate']:>8.1f} {r['p50']:>7.1f} {r['p95']:>7.1f} {r['p99']:>7.1f} "
              f"{r['max']:>8.1f} {r['errors']:>6}{extra}")
    total_errors = sum(r["errors"] for r in results)
    submitted = next((r for r in results if r["name"] == "submit"), None)
    if submitted:
        stored = IdempotencyRecord.objects.filter(key__startswith=f"{run}-", action="submit").exclude(key__contains="-check-")
        made = Dossier.objects.filter(pk__gt=dossiers_before, summary="Hồ sơ thử tải (bench/load)").count()
        acknowledged = submitted["requests"] - submitted["errors"]
        print(f"  submissions: {acknowledged:,} acknowledged (201), {stored.count():,} idempotency records of this run, "
              f"{made:,} new load-test dossiers in the database (including {len(bodies)} checks)")
    if any(r["name"] == "refused" for r in results):
        # A refused submission must write nothing: no idempotency record and no dossier of this run.
        written = (IdempotencyRecord.objects.filter(key__startswith=f"{run}-").exclude(key__contains="-check-").count(),
                   Dossier.objects.filter(pk__gt=checked_up_to, summary="Hồ sơ thử tải (bench/load)").count())
        print(f"  refused submissions: {written[0]} idempotency records and {written[1]} dossiers written (must be 0 and 0)")
        total_errors += sum(written)
    print(f"  errors in all: {total_errors}")
    if total_errors:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
