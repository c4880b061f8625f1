"""What counting one dossier move in the report facts costs (reports/facts.record_events), part by part.

    KEEP_PGDATA=/work/pgbench PGPORT=54340 .ci/with-postgres env PYTHONPATH=src .venv/bin/python bench/facts_record.py
    (reuses bench/inbox.py's database of 1,000,000 dossiers; nothing is written: the additions roll back)
    PYTHONPATH=src .venv/bin/python bench/facts_record.py --tiny   # the tests: 20 of bench/inbox.py --tiny's

Every dossier move (a submission, a forward, a result…) reads the dossier's dimensions and events and adds
its counts to the fact table in the move's transaction. For the newest --count dossiers, prints the CPU
of this process per dossier for each part, and for the dimensions query both ways: the annotated query
built for each move (as before 22/11/2026) and built once per process, then filtered (as now).
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent / "src"), str(Path(__file__).resolve().parent)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--tiny", action="store_true", help="20 dossiers of bench/inbox.py --tiny's database (the tests)")
    args = parser.parse_args()
    if args.tiny:
        import inbox

        inbox.DATABASE, args.count = "bench-tiny-inbox.sqlite3", 20
        inbox.database(200, refill=False)  # fills it when bench/inbox.py --tiny has not
    import django

    django.setup()
    from django.db import transaction

    from motcua.dossiers.models import Dossier, DossierEvent
    from motcua.reports import facts

    ids = list(Dossier.objects.order_by("-pk").values_list("pk", flat=True)[: args.count])
    if not ids:
        raise SystemExit("no dossiers: run bench/inbox.py first, or point DATABASE_URL at a filled database")

    def cpu_per_dossier(work) -> float:
        started = time.process_time()
        for pk in ids:
            work(pk)
        return (time.process_time() - started) / len(ids) * 1000

    def dims_built_each_time(pk):
        list(facts._dims_query.__wrapped__().filter(pk__in=[pk]))

    parts = {
        "dimensions, query built for each move": dims_built_each_time,
        "dimensions, query built once (now)": lambda pk: facts._dims_rows(pk__in=[pk]),
        "events": lambda pk: facts._events_by_dossier(DossierEvent.objects.filter(dossier_id__in=[pk])),
    }
    for work in parts.values():  # warm up: connection, prepared statements, caches
        cpu_per_dossier(work)
    print(f"{Dossier.objects.count():,} dossiers, the newest {len(ids)}: CPU of this process per dossier")
    for name, work in parts.items():
        print(f"  {name:<40} {cpu_per_dossier(work):6.2f} ms")
    with transaction.atomic():
        print(f"  {'record_events (all parts, now)':<40} {cpu_per_dossier(lambda pk: facts.record_events([pk])):6.2f} ms")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
