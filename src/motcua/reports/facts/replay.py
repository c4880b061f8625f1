"""Rebuilding the whole table from the events (in parallel when large), and a snapshot to compare."""

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from itertools import groupby
from operator import itemgetter

from django.db import connection, transaction
from django.db.models import Max, Min

from motcua.dossiers.models import Dossier, DossierEvent

from ..models import Fact
from .counting import contributions
from .reading import _dims_rows, _events_by_dossier
from .recording import _period_rows

# ---------------------------------------------------------------- rebuild


def rebuild(*, chunk: int = 20_000, progress=None, workers: int | None = None) -> int:
    """Throw the fact table away and replay every dossier's events into it. Returns the dossiers read.

    Runs in one transaction; on PostgreSQL it locks the table first, so dossier moves made meanwhile wait
    and are counted after it, exactly once. Reports keep reading the old figures while the events are
    replayed; on PostgreSQL the table is emptied only at the end (TRUNCATE: no dead rows left behind for
    the next rebuild), so reads wait only while the new rows are written. Dossiers are replayed by id ranges of `chunk` ids. On
    PostgreSQL, outside any caller's transaction and for more than PARALLEL_FROM ids, the ranges are
    replayed by `workers` processes (default: 2) with connections of their own, whose snapshots start
    after the lock; each range's day counts are streamed into a temporary table and summed into days,
    weeks, months and years by the database, so memory stays bounded by one range.
    """
    postgres = connection.vendor == "postgresql"
    outer = connection.in_atomic_block
    with transaction.atomic():
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {Fact._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
        else:
            Fact.objects.all().delete()
        bounds = Dossier.objects.aggregate(low=Min("pk"), high=Max("pk"))
        if bounds["low"] is None:
            _write_all([])
            return 0
        if workers is None:
            workers = 2 if bounds["high"] - bounds["low"] >= PARALLEL_FROM else 1
        # Other processes cannot see a caller's uncommitted dossiers (tests): replay them here.
        parallel = postgres and workers > 1 and not outer
        if parallel:  # larger ranges: fewer day counts to stream (each range sums its own first)
            chunk = max(chunk, 100_000)
        ranges = [(low, min(low + chunk - 1, bounds["high"])) for low in range(bounds["low"], bounds["high"] + 1, chunk)]
        done = 0
        if not postgres:
            keyed: Counter = Counter()
            for low, high in ranges:
                count, counts = _replay(low, high)
                keyed.update(counts)
                done += count
                if progress:
                    progress(done)
            _write_all(_period_rows(keyed))
            return done
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMPORARY TABLE fact_changes (day integer, agency_id integer, procedure_id integer, "
                "measure varchar(24), value bigint) ON COMMIT DROP"
            )
        copy_sql = "COPY fact_changes (day, agency_id, procedure_id, measure, value) FROM STDIN"

        def stream(results):
            nonlocal done
            for count, lines in results:
                with connection.cursor() as cursor, cursor.copy(copy_sql) as copy:
                    copy.write(lines)
                done += count
                if progress:
                    progress(done)

        if parallel:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            import django

            # Fresh processes (spawn, not fork: no shared connection); Django is set up before the first
            # task is unpickled, since unpickling it imports this module and its models.
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(workers, mp_context=context, initializer=django.setup) as pool:
                stream(pool.map(_replay_lines, ranges))
        else:
            stream(_replay_lines(bounds) for bounds in ranges)
        _write_all(None)
    return done


PARALLEL_FROM = 200_000


def _replay(low: int, high: int) -> tuple[int, Counter]:
    """(dossiers read, {(day, agency, procedure, measure): signed count}) for dossier ids low..high."""
    dims = _dims_rows(pk__gte=low, pk__lte=high)
    keyed: Counter = Counter()
    if not dims:
        return 0, keyed
    if connection.vendor == "postgresql":
        stream = _event_stream(low, high)
    else:
        stream = _events_by_dossier(DossierEvent.objects.filter(dossier_id__gte=low, dossier_id__lte=high)).items()
    seen = set()
    for pk, history in stream:
        d = dims.get(pk)
        if d is None:  # an event of a dossier created after the dossiers were read
            continue
        seen.add(pk)
        for (day, measure), value in contributions(d, history).items():
            if value:
                keyed[(day, d.agency_id, d.procedure_id, measure)] += value
    for pk, d in dims.items():
        if pk not in seen:  # no events (yet): the rule still runs, e.g. for a rating
            for (day, measure), value in contributions(d, ()).items():
                if value:
                    keyed[(day, d.agency_id, d.procedure_id, measure)] += value
    return len(dims), keyed


def _replay_lines(bounds) -> tuple[int, bytes]:
    """_replay as COPY text lines (day number, agency, procedure, measure, value)."""
    count, keyed = _replay(*bounds)
    text = "".join(f"{day}\t{agency}\t{procedure}\t{measure}\t{value}\n"
                   for (day, agency, procedure, measure), value in keyed.items() if value)
    return count, text.encode()


def _event_stream(low: int, high: int):
    """(dossier id, [event tuples as contributions reads them]) for ids low..high, in id order, read with
    one plain query (no model instances). Times come as exact microseconds since 1970 (cheaper to load
    than timestamps) and become the same aware UTC datetimes the ORM gives; `data` is decoded only for the
    events whose data contributions reads."""
    table = DossierEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT dossier_id, action, to_state, (extract(epoch FROM at) * 1000000)::bigint, "
            f"(extract(epoch FROM due_at) * 1000000)::bigint, "
            f"CASE WHEN action IN ('finish', 'return_result') THEN data::text END "
            f"FROM {table} WHERE dossier_id BETWEEN %s AND %s ORDER BY dossier_id, seq",
            [low, high],
        )
        loads, origin, micro = json.loads, UNIX_EPOCH, timedelta(microseconds=1)
        for pk, group in groupby(cursor, key=itemgetter(0)):
            yield pk, [(action, to_state, origin + at * micro, None if due_at is None else origin + due_at * micro,
                        None if data is None else loads(data))
                       for _, action, to_state, at, due_at, data in group]


UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _write_all(rows: list[tuple] | None) -> None:
    """Write the fact rows into the emptied table: `rows` as given, or (PostgreSQL, rows None) the day
    changes of the temporary table fact_changes summed into day, week, month and year rows, zeros
    dropped: what _period_rows does, done by the database. On PostgreSQL the table is emptied here."""
    table = Fact._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {table}")
            # Secondary indexes are built once after the load (a sort) rather than row by row: dropped
            # here and made again from their own definitions, inside this transaction.
            cursor.execute(
                "SELECT c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
                "WHERE c.conrelid = %s::regclass AND c.contype = 'u'", [table])
            constraints = cursor.fetchall()
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)", [table])
            indexes = cursor.fetchall()
            for name, _ in constraints:
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            for name, _ in indexes:
                cursor.execute(f"DROP INDEX {name}")
            if rows is None:
                cursor.execute("SET LOCAL work_mem = '512MB'")
                # The connections have JIT off (settings: short reads); this aggregate of every day row is
                # the one long query, measured with it on.
                cursor.execute("SET LOCAL jit = on")
                cursor.execute(
                    "CREATE TEMPORARY TABLE fact_days ON COMMIT DROP AS "
                    "SELECT date '1970-01-01' + day AS period, agency_id, procedure_id, measure, sum(value)::bigint AS value "
                    "FROM fact_changes GROUP BY day, agency_id, procedure_id, measure HAVING sum(value) <> 0"
                )
                cursor.execute("DROP TABLE fact_changes")
                # In key order: the unique index then grows at its end instead of splitting pages everywhere.
                cursor.execute(
                    f"INSERT INTO {table} (grain, period, agency_id, procedure_id, measure, value) "
                    f"SELECT 'd', period, agency_id, procedure_id, measure, value FROM fact_days "
                    f"UNION ALL "
                    f"SELECT b.grain, b.period, agency_id, procedure_id, measure, sum(value)::bigint FROM fact_days "
                    f"CROSS JOIN LATERAL (VALUES ('w', period - (extract(isodow FROM period)::integer - 1)), "
                    f"('m', date_trunc('month', period)::date), ('y', date_trunc('year', period)::date)) "
                    f"AS b(grain, period) "
                    f"GROUP BY b.grain, b.period, agency_id, procedure_id, measure HAVING sum(value) <> 0 "
                    f"ORDER BY 1, 2, 3, 4, 5"
                )
            else:
                with cursor.copy(
                    f"COPY {table} (grain, period, agency_id, procedure_id, measure, value) FROM STDIN"
                ) as copy:
                    for row in rows:
                        copy.write_row(row)
            for _, definition in indexes:
                cursor.execute(definition)
            for name, definition in constraints:
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            # Planner statistics of the new rows now (under a second at 18M rows), not whenever autovacuum
            # gets to them: the first report reads after a rebuild are planned on what is there.
            cursor.execute(f"ANALYZE {table}")
        return
    Fact.objects.bulk_create(
        (Fact(grain=g, period=p, agency_id=a, procedure_id=pr, measure=m, value=v) for g, p, a, pr, m, v in rows),
        batch_size=2000,
    )


def snapshot() -> dict:
    """The fact table as {(grain, period, agency, procedure, measure): value}, zeros left out (tests)."""
    return {
        (g, p, a, pr, m): v
        for g, p, a, pr, m, v in Fact.objects.values_list("grain", "period", "agency_id", "procedure_id", "measure", "value")
        if v
    }
