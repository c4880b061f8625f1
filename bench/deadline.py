"""Due-time benchmarks.

1. The engine: due-time computations per second, warm, one core (bench/deadline_engine.py).
2. A holiday change: recompute the due times of N open dossiers (default 100,000) with the same service
   the `recompute-due` command runs, events included. The dossiers are inserted with bulk_create for speed
   of setup (the benchmark measures the recompute, not the creation).

    PYTHONPATH=src .venv/bin/python bench/deadline.py                     # SQLite (var/bench.sqlite3)
    .ci/with-postgres env PYTHONPATH=src .venv/bin/python bench/deadline.py  # PostgreSQL 15
    PYTHONPATH=src .venv/bin/python bench/deadline.py --tiny              # 200 dossiers (the tests)
"""

import argparse
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import expect, fresh_database  # noqa: E402

FLUSH = False
DATABASE = "bench.sqlite3"


def setup_database():
    fresh_database(DATABASE, flush=False)
    from motcua.dossiers.models import Dossier

    if Dossier.objects.exists():
        if not FLUSH:
            raise SystemExit("The benchmark database already holds dossiers; rerun with --flush to empty it.")
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)


def make_open_dossiers(count: int, seed: int = 7):
    from django.utils import timezone

    from motcua import demo
    from motcua.calendar.services import clear_cache, get_calendar, to_aware
    from motcua.catalog import seed_data
    from motcua.catalog.models import Case
    from motcua.catalog.services import load_catalog
    from motcua.dossiers import codes, deadlines
    from motcua.dossiers.models import Dossier, State, StepRecord
    from motcua.org.services import load_administrative_units

    clear_cache()  # a flush deletes the previous run's day off without signals
    load_administrative_units()
    load_catalog(seed_data.FIELDS, seed_data.PROCEDURES)
    province = demo.build_province()
    cases = [c for c in Case.objects.select_related("version") if c.time_limit_unit != "none"]
    calendar = get_calendar()
    rng = random.Random(seed)
    first = datetime(2026, 11, 2, 7, 0)  # received Mon 02/11 – Fri 06/11/2026
    rows = []
    for i in range(count):
        commune = province.communes[i % len(province.communes)]
        case = rng.choice(cases)
        received = to_aware(calendar.next_working_time(first + timedelta(minutes=rng.randrange(5 * 24 * 60))))
        d = Dossier(
            code=codes.format_code(commune["centre"].identifier_code, timezone.localtime(received).date(), i + 1),
            channel=1,
            state=State.PROCESSING,
            national_status=4,
            procedure_version=case.version,
            case=case,
            applicant_kind="citizen",
            applicant_name="Nguyễn Văn An",
            personal_id="038087042028",
            receiving_agency=commune["centre"],
            competent_agency=commune["committee"],
            submitted_at=received,
            received_at=received,
            current_step=2,
        )
        d.due_at = deadlines.due_time(calendar, d, case, ())
        rows.append(d)
    Dossier.objects.bulk_create(rows, batch_size=2000)
    # Each dossier has its second step (the specialist's) open, as in a real inbox.
    second = {c.pk: c.steps.filter(order=2).first() for c in cases}
    steps = []
    for d in Dossier.objects.only("pk", "case_id", "received_at", "competent_agency_id"):
        step = second.get(d.case_id)
        if step is None:
            continue
        started = d.received_at + timedelta(minutes=30)
        steps.append(StepRecord(
            dossier_id=d.pk, order=2, name=step.name, role=step.role, agency_id=d.competent_agency_id,
            budget_hours=step.budget_hours, started_at=started,
            due_at=deadlines.step_due(calendar, started, step.budget_hours),
        ))
    StepRecord.objects.bulk_create(steps, batch_size=2000)


def bench_recompute(count: int) -> tuple[float, int, str]:
    setup_database()
    from django.db import connection

    from motcua.calendar.models import CalendarOverride
    from motcua.calendar.services import clear_cache
    from motcua.dossiers.services import recompute_open_due_times

    make_open_dossiers(count)
    # A day off announced late, the Monday after the week of receptions: most due times move.
    CalendarOverride.objects.create(date="2026-11-09", kind=CalendarOverride.Kind.DAY_OFF, note="benchmark")
    clear_cache()
    began = time.perf_counter()
    changed = recompute_open_due_times()
    seconds = time.perf_counter() - began
    return seconds, changed, connection.vendor


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--engine-seconds", type=float, default=3.0)
    parser.add_argument("--skip-engine", action="store_true")
    parser.add_argument("--runs", type=int, default=1, help="repeat the recompute and report each run and the median")
    parser.add_argument("--flush", action="store_true", help="empty a non-empty database first (never on real data)")
    parser.add_argument("--tiny", action="store_true",
                        help="200 dossiers in their own SQLite database, the engine for 0.2 s (the tests)")
    args = parser.parse_args()
    global FLUSH, DATABASE
    FLUSH = args.flush or args.runs > 1
    if args.tiny:
        DATABASE = "bench-tiny-deadline.sqlite3"
        args.dossiers, args.engine_seconds, args.runs = 200, 0.2, 1
    if not args.skip_engine:
        from deadline_engine import bench_engine, check_engine

        check_engine()
        print(f"engine: {bench_engine(args.engine_seconds):,.0f} due-time computations/s (one core)", flush=True)
    times = []
    for _ in range(args.runs):
        seconds, changed, vendor = bench_recompute(args.dossiers)
        # The day off moves the due time of nearly every dossier received that week.
        expect(changed > args.dossiers // 2, f"the late day off moved {changed} of {args.dossiers} due times")
        times.append(seconds)
        print(f"recompute ({vendor}): {args.dossiers:,} open dossiers (one open step each), {changed:,} due times "
              f"moved (one event each, their open steps recomputed), {seconds:.2f} s", flush=True)
    if args.runs > 1:
        print(f"recompute ({vendor}) median of {args.runs}: {sorted(times)[len(times) // 2]:.2f} s")

if __name__ == "__main__":
    main()
