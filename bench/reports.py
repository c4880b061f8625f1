"""Reports at national scale: 10,000,000 dossiers on PostgreSQL, a full fact rebuild, the report pages.

    KEEP_PGDATA=/work/pgreports PGPORT=54350 .ci/with-postgres env PYTHONPATH=src .venv/bin/python bench/reports.py
    .ci/with-postgres env PYTHONPATH=src .venv/bin/python bench/reports.py --tiny   # 2,000 dossiers, 1 request
    (--tiny: a throw-away database; on SQLite it says it is skipped and exits 0)

The database is filled once, in bulk with SQL (generate_series, one transaction per million dossiers, so an
interrupted fill resumes where it stopped; --refill starts over): a province with one committee, about 20
departments and 100 communes, the seeded catalog's procedures, dossiers submitted 01/01/2025 – 20/11/2026
(channels ≈ 80 % direct, 15 % online, 5 % postal) with their events (submit, receive, forward, supplement
pauses, finish early / on time / late, return_result by counter, post or electronically; some refused or
withdrawn), every event at or before 20/11/2026 17:00 kept, so the newest dossiers are still open (waiting,
in time, overdue, paused, ready); ratings for some returned dossiers.

Then: `facts.rebuild()` timed (--skip-rebuild to keep the facts there), and the province-year statistics
page and 766 page timed over HTTP under gunicorn (in-process selectors when a view is not there yet),
signed in as a supervisor of the province committee: p50 / p95 / max of --requests each.
"""

import argparse
import os
import statistics as stats
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(Path(__file__).resolve().parent)]
from common import gunicorn, run_secrets  # noqa: E402

START = "2025-01-01"
NOW = "2026-11-20 17:00"  # local time; nothing happens after this moment
DEPARTMENTS = 20
COMMUNES = 100
CHUNK = 1_000_000


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    os.environ["MOTCUA_DEMO"] = "1"
    # The server's secrets (its SECRET_KEY signs the session made here): the same in both processes.
    os.environ.update(run_secrets())
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def province():
    """The demo province (seed-demo without dossiers), widened to ~20 departments and ~100 communes.
    Returns (centre id, [department ids], [(commune committee id, receiving centre id)])."""
    from motcua import demo
    from motcua.org.models import AdministrativeUnit, Agency

    demo.seed(dossiers=0)
    p = demo.build_province()
    K = Agency.Kind
    departments = [a.pk for a in p.departments.values()] + [p.police.pk]
    for n in range(len(departments), DEPARTMENTS):
        departments.append(demo._agency(f"Sở số {n + 1} (thử tải)", K.DEPARTMENT, p.unit,
                                        f"000.00.{40 + n}.{p.suffix}", p.committee).pk)
    communes = []
    for c in p.communes:
        communes += [(c["committee"].pk, c["centre"].pk), (c["police"].pk, c["centre"].pk)]
    wards = list(AdministrativeUnit.objects.filter(parent=p.unit).order_by("code")[demo.COMMUNES:])
    for i, ward in enumerate(wards[: COMMUNES - len(p.communes)], start=demo.COMMUNES + 1):
        committee = demo._agency(f"UBND {ward.name}", K.COMMUNE_COMMITTEE, ward, f"{i:03d}.00.00.{p.suffix}", p.committee)
        communes.append((committee.pk, committee.pk))
    return p.centre.pk, departments, communes


def cases():
    """(case id, version id, province level?, due days, full online?) of the catalog's cases with a limit."""
    from motcua.catalog.models import Case

    out = []
    for c in Case.objects.select_related("version__procedure").order_by("pk"):
        unit, value = c.time_limit_unit, float(c.time_limit_value or 0)
        if unit == "none":
            continue
        # Working days stretched to calendar days (weekends); hours as part of a working day.
        days = {"working_day": value * 1.4, "calendar_day": value, "working_hour": value / 8 * 1.4}.get(unit, 0.4)
        out.append((c.pk, c.version_id, c.version.procedure.level == "province", max(days, 0.3),
                    c.online_level == "full"))
    return out


def _defaults(cursor, table: str, given: set[str]) -> tuple[list[str], list[str]]:
    """Columns NOT NULL without a value in `given`, and a neutral SQL value for each (Django sets no
    database defaults)."""
    cursor.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s AND is_nullable = 'NO' "
        "AND column_default IS NULL", [table])
    neutral = {"character varying": "''", "text": "''", "boolean": "false", "integer": "0", "smallint": "0",
               "bigint": "0", "jsonb": "'{}'::jsonb", "timestamp with time zone": "now()"}
    names, values = [], []
    for name, kind in cursor.fetchall():
        if name not in given:
            names.append(name)
            values.append(neutral[kind])
    return names, values


GENERATE = """
CREATE TEMP TABLE g ON COMMIT DROP AS
WITH base AS (
  SELECT i AS id, random() AS u_case, random() AS u_where, random() AS u_ch, random() AS u_fate, random() AS u_time,
         random() AS u_ret, random() AS u_rate, random() AS u_x,
         (%(start)s::date + ((i - 1)::float8 / %(total)s::float8 * %(span)s::int)::int) AS day
  FROM generate_series(%(low)s::bigint, %(high)s::bigint) AS i
), w AS (
  SELECT b.*, c.case_id, c.version_id, c.province_level, c.days, c.full_online,
         CASE WHEN b.u_ch < 0.80 THEN 1 WHEN b.u_ch < 0.95 THEN 2 ELSE 3 END AS channel,
         -- weekends moved to the Friday before; submitted between 07:30 and 16:30
         ((b.day - CASE extract(isodow FROM b.day)::int WHEN 6 THEN 1 WHEN 7 THEN 2 ELSE 0 END)
          + time '07:30' + random() * interval '9 hours') AT TIME ZONE 'Asia/Ho_Chi_Minh' AS s
  FROM base b JOIN bench_case c ON c.idx = 1 + floor(%(ncases)s::int * power(b.u_case, 2))::int
), x AS (
  SELECT w.*,
    CASE WHEN w.province_level THEN %(centre)s::int ELSE (%(receivers)s::int[])[1 + floor(%(ncommunes)s::int * power(w.u_where, 1.5))::int] END AS receiving,
    CASE WHEN w.province_level THEN (%(departments)s::int[])[1 + floor(%(ndepartments)s::int * w.u_where)::int]
         ELSE (%(communes)s::int[])[1 + floor(%(ncommunes)s::int * power(w.u_where, 1.5))::int] END AS competent,
    CASE WHEN w.u_fate < 0.015 THEN 'refuse' WHEN w.u_fate < 0.03 THEN 'withdraw'
         WHEN w.u_fate < 0.07 THEN 'supplement' ELSE 'normal' END AS fate,
    CASE WHEN w.u_time < 0.75 THEN 'early' WHEN w.u_time < 0.92 THEN 'on_time' ELSE 'late' END AS timing,
    CASE WHEN w.u_ret < 0.70 THEN 'counter' WHEN w.u_ret < 0.80 THEN 'post' ELSE 'electronic' END AS method,
    w.s + CASE WHEN w.channel = 2 THEN (1 + 20 * random()) * interval '1 hour' ELSE interval '5 minutes' END AS rec,
    (2 + floor(9 * random())) * interval '1 day' AS pause_len
  FROM w
), y AS (
  SELECT x.*, x.rec + x.days * interval '1 day' AS due0,
         x.rec + (10 + 230 * random()) * interval '1 minute' AS fwd1
  FROM x
), z AS (
  SELECT y.*,
    CASE WHEN fate = 'supplement' THEN greatest(fwd1 + interval '1 hour', rec + (due0 - rec) * 0.3) END AS sup_req,
    due0 + CASE WHEN fate = 'supplement' THEN pause_len ELSE interval '0' END AS due
  FROM y
), f AS (
  SELECT z.*, sup_req + pause_len AS sup_done,
    greatest(
      CASE timing WHEN 'early' THEN rec + (due - rec) * (0.2 + 0.6 * u_x)
                  WHEN 'on_time' THEN due - u_x * interval '3 hours'
                  ELSE due + (1 + 40 * u_x) * interval '1 day' END,
      fwd1 + interval '2 hours', coalesce(sup_req + pause_len + interval '1 hour', fwd1)) AS fin
  FROM z
)
SELECT f.*, CASE WHEN u_rate < 0.3 THEN fwd1 + (fin - fwd1) * 0.5 END AS fwd2,
       fin + u_ret * interval '3 days' AS ret, rec + (fwd1 - rec) + interval '1 day' AS wd
FROM f
"""

EVENTS = """
CREATE TEMP TABLE ev ON COMMIT DROP AS
SELECT g.id AS dossier_id, v.seq, v.action, v.from_state, v.to_state, v.at, v.due_at, v.data
FROM g CROSS JOIN LATERAL (VALUES
  (1, 'submit', 'draft', 'submitted', g.s, NULL::timestamptz, '{}'::jsonb),
  (2, 'refuse', 'submitted', 'refused', CASE WHEN fate = 'refuse' THEN g.s + interval '2 hours' END, NULL, '{}'),
  (2, 'receive', 'submitted', 'received', CASE WHEN fate <> 'refuse' THEN g.rec END, g.due0, '{}'),
  (3, 'forward', 'received', 'processing', CASE WHEN fate <> 'refuse' THEN g.fwd1 END, g.due0, '{}'),
  (4, 'withdraw', 'processing', 'withdrawn', CASE WHEN fate = 'withdraw' THEN g.wd END, g.due0, '{}'),
  (4, 'request_supplement', 'processing', 'awaiting_supplement', g.sup_req, g.due0, '{}'),
  (5, 'supply_supplement', 'awaiting_supplement', 'processing', g.sup_done, g.due, '{}'),
  (4, 'forward', 'processing', 'processing', CASE WHEN fate = 'normal' THEN g.fwd2 END, g.due, '{}'),
  (CASE WHEN fate = 'supplement' THEN 6 WHEN g.fwd2 IS NOT NULL THEN 5 ELSE 4 END, 'finish', 'processing',
   'result_ready', CASE WHEN fate IN ('normal', 'supplement') THEN g.fin END, g.due,
   jsonb_build_object('timing', g.timing)),
  (CASE WHEN fate = 'supplement' THEN 7 WHEN g.fwd2 IS NOT NULL THEN 6 ELSE 5 END, 'return_result', 'result_ready',
   'returned', CASE WHEN fate IN ('normal', 'supplement') THEN g.ret END, g.due, jsonb_build_object('method', g.method))
) AS v(seq, action, from_state, to_state, at, due_at, data)
WHERE v.at IS NOT NULL AND v.at <= %(now)s::timestamptz
"""


def fill(total: int, refill: bool) -> None:
    from django.db import connection, transaction

    from motcua.dossiers.models import Dossier

    with connection.cursor() as cursor:
        if refill:
            cursor.execute("TRUNCATE reports_fact, feedback_rating, dossiers_dossierevent, dossiers_dossier CASCADE")
        cursor.execute("SELECT coalesce(max(id), 0) FROM dossiers_dossier")
        have = cursor.fetchone()[0]
    if have >= total:
        print(f"reusing {Dossier.objects.count():,} dossiers", flush=True)
        return
    centre, departments, communes = province()
    catalog = cases()
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_case")
        cursor.execute("CREATE TABLE bench_case (idx int PRIMARY KEY, case_id int, version_id int, province_level bool,"
                       " days float8, full_online bool)")
        cursor.executemany("INSERT INTO bench_case VALUES (%s, %s, %s, %s, %s, %s)",
                           [(i, *c) for i, c in enumerate(catalog, start=1)])
        given = {"id", "code", "channel", "state", "national_status", "procedure_version_id", "case_id", "applicant_kind",
                 "applicant_name", "population_verified", "identity_verified", "receiving_agency_id",
                 "competent_agency_id", "submitted_at", "received_at", "due_at", "finished_at", "returned_at",
                 "closed_at", "synced_at", "last_event_seq", "updated_at"}
        names, values = _defaults(cursor, "dossiers_dossier", given)
        enames, evalues = _defaults(cursor, "dossiers_dossierevent",
                                    {"id", "dossier_id", "seq", "action", "from_state", "to_state", "at", "due_at", "data"})
    params = {
        "start": START, "span": (date.fromisoformat(NOW[:10]) - date.fromisoformat(START)).days, "total": total,
        "ncases": len(catalog), "centre": centre, "departments": departments, "ndepartments": len(departments),
        "communes": [c for c, _ in communes], "receivers": [r for _, r in communes], "ncommunes": len(communes),
        "now": f"{NOW}+07",
    }
    extra = "".join(f", {n}" for n in names)
    extra_values = "".join(f", {v}" for v in values)
    eextra = "".join(f", {n}" for n in enames)
    eextra_values = "".join(f", {v}" for v in evalues)
    low = have + 1
    while low <= total:
        high = min(total, low + CHUNK - 1)
        t0 = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(GENERATE, dict(params, low=low, high=high))
            cursor.execute(EVENTS, params)
            cursor.execute("CREATE TEMP TABLE last ON COMMIT DROP AS SELECT DISTINCT ON (dossier_id) dossier_id, seq, "
                           "to_state, at FROM ev ORDER BY dossier_id, seq DESC")
            cursor.execute(f"""
                INSERT INTO dossiers_dossier (id, code, channel, state, national_status, procedure_version_id, case_id,
                  applicant_kind, applicant_name, population_verified, identity_verified, receiving_agency_id,
                  competent_agency_id, submitted_at, received_at, due_at, finished_at, returned_at, closed_at,
                  synced_at, last_event_seq, updated_at{extra})
                SELECT g.id, 'TT-' || lpad(g.id::text, 9, '0'), g.channel, l.to_state, NULL, g.version_id, g.case_id,
                  'citizen', 'Người nộp ' || g.id, g.u_x < 0.6, g.channel = 2, g.receiving, g.competent, g.s,
                  CASE WHEN l.to_state NOT IN ('submitted', 'refused') THEN g.rec END,
                  CASE WHEN l.to_state NOT IN ('submitted', 'refused') THEN
                    CASE WHEN l.to_state = 'awaiting_supplement' THEN g.due0 ELSE g.due END END,
                  CASE WHEN l.to_state IN ('result_ready', 'returned') THEN g.fin END,
                  CASE WHEN l.to_state = 'returned' THEN g.ret END,
                  CASE WHEN l.to_state IN ('returned', 'refused', 'withdrawn') THEN l.at END,
                  CASE WHEN g.u_ret < 0.9 AND l.to_state <> 'refused' THEN g.rec + interval '1 hour' END,
                  l.seq, l.at{extra_values}
                FROM g JOIN last l ON l.dossier_id = g.id
            """)
            cursor.execute(f"""
                INSERT INTO dossiers_dossierevent (dossier_id, seq, action, from_state, to_state, at, due_at, data{eextra})
                SELECT dossier_id, seq, action, from_state, to_state, at, due_at, data{eextra_values} FROM ev
                ORDER BY dossier_id, seq
            """)
            cursor.execute("""
                INSERT INTO feedback_rating (dossier_id, level, comment, at)
                SELECT g.id, CASE WHEN g.u_x < 0.6 THEN 'very_satisfied' WHEN g.u_x < 0.95 THEN 'satisfied'
                                  ELSE 'dissatisfied' END, '', g.ret + g.u_rate * interval '2 days'
                FROM g JOIN last l ON l.dossier_id = g.id
                WHERE l.to_state = 'returned' AND g.u_rate > 0.9 AND g.ret + g.u_rate * interval '2 days' <= %(now)s::timestamptz
            """, params)
            cursor.execute("SELECT count(*) FROM ev")
            events = cursor.fetchone()[0]
        print(f"  dossiers {low:,}–{high:,}: {events:,} events in {time.perf_counter() - t0:.0f} s", flush=True)
        low = high + 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('dossiers_dossier', 'id'), (SELECT max(id) FROM dossiers_dossier))")
        cursor.execute("VACUUM ANALYZE dossiers_dossier")
        cursor.execute("VACUUM ANALYZE dossiers_dossierevent")
        cursor.execute("ANALYZE")
    print(f"filled {total - have:,} dossiers in {time.perf_counter() - began:.0f} s", flush=True)


def rebuild() -> None:
    from motcua.reports import facts
    from motcua.reports.models import Fact

    began = time.perf_counter()
    last = [began]

    def progress(done):
        if time.perf_counter() - last[0] > 30:
            last[0] = time.perf_counter()
            print(f"  {done:,} dossiers replayed, {last[0] - began:.0f} s", flush=True)

    import resource

    def cpu(who):
        usage = resource.getrusage(who)
        return usage.ru_utime + usage.ru_stime

    mine, children = cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN)
    dossiers = facts.rebuild(progress=progress)
    took = time.perf_counter() - began
    print(f"rebuild: {dossiers:,} dossiers, {Fact.objects.count():,} fact rows in {took:.0f} s "
          f"({took / 60:.1f} min); CPU: replay workers {cpu(resource.RUSAGE_CHILDREN) - children:.0f} s, "
          f"this process {cpu(resource.RUSAGE_SELF) - mine:.0f} s (the database server's own CPU not counted); "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)


def supervisor():
    """The demo's supervisor of the province committee, and a session cookie for it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from motcua.org.models import RoleAssignment

    user = RoleAssignment.objects.filter(role="supervisor", agency__kind="province_committee",
                                         user__is_system=False).select_related("user").order_by("pk").first().user
    session = SessionStore()
    session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return user, f"sessionid={session.session_key}"


YEAR = (date(2026, 1, 1), date(2026, 12, 31))
PAGES = {
    "statistics": "/bao-cao/thong-ke/?from=01/01/2026&to=31/12/2026&group=agency",
    "statistics, year so far": "/bao-cao/thong-ke/?from=01/01/2026&to=20/11/2026&group=agency",
    "statistics, month so far": "/bao-cao/thong-ke/?from=01/11/2026&to=20/11/2026&group=agency",
    "766 index": "/bao-cao/chi-so-766/?year=2026",
}


def summary(values) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
    return (f"n={len(values)}  p50 {stats.median(values) * 1000:6.0f} ms  p95 {p95 * 1000:6.0f} ms  "
            f"max {values[-1] * 1000:6.0f} ms")


def in_process(user, requests: int) -> None:
    """The selectors behind each page, in this process (no HTTP, no template)."""
    from motcua.reports import index766, selectors

    calls = {
        "statistics selector (by unit)": lambda: selectors.statistics(user, *YEAR),
        "766 index_table": lambda: index766.index_table(user, *YEAR),
    }
    for name, call in calls.items():
        call()
        times = []
        for _ in range(requests):
            began = time.perf_counter()
            call()
            times.append(time.perf_counter() - began)
        print(f"  in-process {name:<30} {summary(times)}", flush=True)


def over_http(cookie: str, requests: int) -> None:
    from django.db import connection

    connection.close()
    server, port = gunicorn(workers=2, env={"DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1", "MOTCUA_HTTPS": "0"})
    try:
        for name, path in PAGES.items():
            times, sizes = [], set()
            for i in range(requests + 2):
                request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Cookie": cookie})
                began = time.perf_counter()
                with urllib.request.urlopen(request, timeout=120) as response:
                    body = response.read()
                elapsed = time.perf_counter() - began
                if response.status != 200 or b"<table" not in body:
                    raise SystemExit(f"{path}: {response.status}, no table")
                sizes.add(len(body))
                if i >= 2:  # the first request of each worker loads code and templates
                    times.append(elapsed)
            print(f"  HTTP {name:<12} {path:<58} {summary(times)}  ({max(sizes) // 1024} KB)", flush=True)
    finally:
        server.terminate()
        server.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=10_000_000)
    parser.add_argument("--refill", action="store_true")
    parser.add_argument("--fill-only", action="store_true")
    parser.add_argument("--skip-rebuild", action="store_true", help="keep the facts there (when there are any)")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--tiny", action="store_true", help="2,000 dossiers (a database of their own), 1 request")
    args = parser.parse_args()
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        if args.tiny:  # tests/benchmarks/test_bench_tiny.py runs on SQLite: nothing to do there
            print("skipped: bench/reports.py is for PostgreSQL (run under .ci/with-postgres)")
            return
        raise SystemExit("run under .ci/with-postgres: this benchmark is for PostgreSQL")
    if args.tiny:
        args.dossiers, args.requests, args.skip_rebuild = 2000, 1, False
    setup()
    if args.tiny:
        from motcua.dossiers.models import Dossier

        if Dossier.objects.count() > args.dossiers:  # never the big database kept with KEEP_PGDATA
            raise SystemExit("--tiny wants a database of its own: .ci/with-postgres without KEEP_PGDATA")
    fill(args.dossiers, args.refill)
    if args.fill_only:
        return
    from motcua.reports.models import Fact

    if not args.skip_rebuild or not Fact.objects.exists():
        rebuild()
    user, cookie = supervisor()
    print(f"pages for {user.username} (supervisor, province committee), {YEAR[0]:%d/%m/%Y}–{YEAR[1]:%d/%m/%Y}:",
          flush=True)
    in_process(user, args.requests)
    over_http(cookie, args.requests)


if __name__ == "__main__":
    main()
