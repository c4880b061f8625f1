"""Fact maintenance (số liệu tổng hợp): the counts every report reads, kept from the dossier events.

One function, `contributions`, turns a dossier's events into signed counts per day and measure. The
incremental path (`record_event`, called by dossiers/services.py for every event it appends, in the same
transaction) writes the difference the newest event makes; `rebuild` replays every dossier's events with
the same function. The two therefore agree by construction, and a test holds them to it.

Days are local dates in Viet Nam (UTC+7 all year, no daylight saving), counted as integers from
1970-01-01 while computing, for speed.

Measures:
- stocks (changes on the days a dossier enters or leaves; the sum up to a day is the stock at its end):
  waiting (chờ tiếp nhận), not_due / overdue (đang giải quyết trong hạn / quá hạn: an open dossier moves
  from one to the other on its due day), paused_supplement / paused_verification / paused_payment,
  ready (đã có kết quả, chờ trả);
- flows (on the day they happen): submitted_online, received_1/2/3 (by channel), finished_early /
  finished_on_time / finished_late, processing_minutes, returned, refused, withdrawn, stopped, apologised,
  supplement_requests, rated_<level>;
- cohort attributes for the 766 index, counted on the day the dossier was received once the dossier has
  them: c_synced, c_fee, c_paid_online, c_full_eligible, c_full_online, c_e_result, c_digitised,
  c_reused, c_store, c_population.
"""

import functools
import json
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from itertools import groupby
from operator import itemgetter
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, Max, Min, OuterRef, Q

from motcua.catalog.models import OnlineLevel
from motcua.dossiers.models import Channel, Dossier, DossierComponent, DossierEvent, DossierFee, State

from .models import Fact

EPOCH = date(1970, 1, 1)
# Viet Nam has kept UTC+7 without daylight saving since 1975, so a day is a fixed offset away.
OFFSET_SECONDS = int(datetime(2026, 1, 1, tzinfo=ZoneInfo(settings.TIME_ZONE)).utcoffset().total_seconds())

RUNNING = "running"
STOCK_OF_STATE = {
    State.SUBMITTED: "waiting",
    State.AWAITING_COMPLETION: "waiting",
    State.RECEIVED: RUNNING,
    State.PROCESSING: RUNNING,
    State.AWAITING_SUPPLEMENT: "paused_supplement",
    State.AWAITING_VERIFICATION: "paused_verification",
    State.AWAITING_PAYMENT: "paused_payment",
    State.RESULT_READY: "ready",
}
STOCKS = ("waiting", "not_due", "overdue", "paused_supplement", "paused_verification", "paused_payment", "ready")
FLOW_OF_ACTION = {
    "refuse": "refused",
    "withdraw": "withdrawn",
    "stop": "stopped",
    "return_result": "returned",
    "apologise": "apologised",
    "request_supplement": "supplement_requests",
}


def day_number(moment: datetime) -> int:
    return int((moment.timestamp() + OFFSET_SECONDS) // 86400)


def day_date(number: int) -> date:
    return EPOCH + timedelta(days=number)


def date_number(day: date) -> int:
    return (day - EPOCH).days


@dataclass(frozen=True)
class Dims:
    """What a dossier is counted under, and its attributes the 766 index asks about."""

    agency_id: int
    procedure_id: int
    channel: int
    full_eligible: bool = False
    fee_bearing: bool = False
    digitised: bool = False
    reused: bool = False
    national_data: bool = False
    population: bool = False
    synced: bool = False
    rating: str = ""
    rated_at: datetime | None = None


def _tail(out: Counter, segment, at: datetime, day: int, sign: int) -> None:
    """Add (sign=1) or remove (sign=-1) what an open segment counts from `at` onwards."""
    if segment is None:
        return
    kind, due = segment
    if kind != RUNNING:
        out[(day, kind)] += sign
    elif due is None:
        out[(day, "not_due")] += sign
    elif at < due:
        due_day = day_number(due)
        out[(day, "not_due")] += sign
        out[(due_day, "not_due")] -= sign
        out[(due_day, "overdue")] += sign
    else:
        out[(day, "overdue")] += sign


def contributions(dims: Dims, events) -> Counter:
    """Signed counts per (day number, measure) of one dossier, from its events in order.

    `events` are (action, to_state, at, due_at, data) tuples. The last state is taken to last for ever;
    the next event takes back what it no longer counts.
    """
    out: Counter = Counter()
    segment = None
    received_at = received_day = None
    paid_online = e_result = False
    for action, to_state, at, due_at, data in events:
        day = day_number(at)
        kind = STOCK_OF_STATE.get(to_state)
        new = None if kind is None else (kind, due_at if kind == RUNNING else None)
        if new != segment:
            _tail(out, segment, at, day, -1)
            _tail(out, new, at, day, 1)
            segment = new
        if action == "receive":
            received_at, received_day = at, day
            out[(day, f"received_{dims.channel}")] += 1
        elif action == "finish":
            out[(day, f"finished_{(data or {}).get('timing') or 'on_time'}")] += 1
            if received_at is not None:
                out[(day, "processing_minutes")] += int((at - received_at).total_seconds() // 60)
        elif action == "submit":
            if dims.channel == Channel.ONLINE:
                out[(day, "submitted_online")] += 1
        elif action == "pay_fees":
            paid_online = True
        if action in FLOW_OF_ACTION:
            out[(day, FLOW_OF_ACTION[action])] += 1
            if action == "return_result" and (data or {}).get("method") == "electronic":
                e_result = True
    if received_day is not None:
        cohort = {
            "c_synced": dims.synced,
            "c_fee": dims.fee_bearing,
            "c_paid_online": dims.fee_bearing and paid_online,
            "c_full_eligible": dims.full_eligible,
            "c_full_online": dims.full_eligible and dims.channel == Channel.ONLINE,
            "c_e_result": e_result,
            "c_digitised": dims.digitised,
            "c_reused": dims.reused,
            "c_store": dims.national_data or e_result,
            "c_population": dims.population,
        }
        for measure, present in cohort.items():
            if present:
                out[(received_day, measure)] += 1
    if dims.rating and dims.rated_at is not None:
        out[(day_number(dims.rated_at), f"rated_{dims.rating}")] += 1
    return out


# ---------------------------------------------------------------- reading dossiers


@functools.cache
def _dims_query():
    """The annotated query behind _dims_rows, built once: building its five sub-queries took about 2 ms
    of CPU, paid on every dossier move, while filtering a copy of it costs almost nothing. Only ever
    filter it (a copy); iterating it directly would keep its rows for the life of the process."""
    components = DossierComponent.objects.filter(dossier=OuterRef("pk"))
    return Dossier.objects.annotate(
        fee_bearing=Exists(DossierFee.objects.filter(dossier=OuterRef("pk"), amount__gt=0)),
        any_reused=Exists(components.filter(reused=True)),
        any_national=Exists(components.filter(from_national_data=True)),
        any_paper=Exists(components.filter(provided=True, digitised=False, from_national_data=False)),
        any_provided=Exists(components.filter(Q(provided=True) | Q(from_national_data=True))),
    ).values_list(
        "pk", "competent_agency_id", "procedure_version__procedure_id", "channel", "case__online_level",
        "fee_bearing", "any_reused", "any_national", "any_paper", "any_provided", "identity_verified",
        "population_verified", "synced_at", "rating__level", "rating__at",
    )


def _dims_rows(**lookups):
    """One query: the Dims of each dossier matching `lookups` (e.g. pk__in=[...]), by id."""
    rows = _dims_query().filter(**lookups)
    out = {}
    for (pk, agency, procedure, channel, level, fee, reused, national, paper, provided, verified,
         population, synced_at, rating, rated_at) in rows:
        out[pk] = Dims(
            agency_id=agency,
            procedure_id=procedure,
            channel=channel,
            full_eligible=level == OnlineLevel.FULL,
            fee_bearing=fee,
            # Online dossiers are born digital; a paper one counts when every paper in it was scanned.
            digitised=channel == Channel.ONLINE or (provided and not paper),
            reused=reused,
            national_data=national,
            population=verified or population,
            synced=synced_at is not None,
            rating=rating or "",
            rated_at=rated_at,
        )
    return out


EVENT_FIELDS = ("dossier_id", "action", "to_state", "at", "due_at", "data")


def _events_by_dossier(events_qs) -> dict[int, list]:
    rows = events_qs.order_by("dossier_id", "seq").values_list(*EVENT_FIELDS)
    return {pk: [r[1:] for r in group] for pk, group in groupby(rows, key=lambda r: r[0])}


# ---------------------------------------------------------------- writing


def _period_rows(keyed: Counter) -> list[tuple]:
    """(grain, period, agency, procedure, measure, value) rows for day, month and year, zeros dropped."""
    rows: Counter = Counter()
    for (day, agency, procedure, measure), value in keyed.items():
        if not value:
            continue
        d = day_date(day)
        rows[("d", d, agency, procedure, measure)] += value
        rows[("w", d - timedelta(days=d.weekday()), agency, procedure, measure)] += value
        rows[("m", d.replace(day=1), agency, procedure, measure)] += value
        rows[("y", d.replace(month=1, day=1), agency, procedure, measure)] += value
    return sorted(k + (v,) for k, v in rows.items() if v)


def _add(keyed: Counter) -> None:
    """Add signed counts to the fact table. Rows are written in key order, so two transactions adding
    to the same rows wait for each other instead of deadlocking."""
    rows = _period_rows(keyed)
    if not rows:
        return
    table = Fact._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 500):
            part = rows[start:start + 500]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(part))
            cursor.execute(
                f"INSERT INTO {table} (grain, period, agency_id, procedure_id, measure, value) VALUES {values} "
                f"ON CONFLICT (grain, period, agency_id, procedure_id, measure) "
                f"DO UPDATE SET value = {table}.value + excluded.value",
                [x for row in part for x in row],
            )


def _difference(dims_before: Dims, events_before, dims_after: Dims, events_after) -> Counter:
    change = contributions(dims_after, events_after)
    change.subtract(contributions(dims_before, events_before))
    return Counter({(day, dims_after.agency_id, dims_after.procedure_id, m): v for (day, m), v in change.items() if v})


def record_event(dossier: Dossier) -> None:
    """Count the event just appended to `dossier` (inside the caller's transaction)."""
    record_events([dossier.pk])


def record_events(dossier_ids) -> None:
    """Count the newest event of each of these dossiers, e.g. a batch of recomputed due times."""
    ids = list(dossier_ids)
    if not ids:
        return
    dims = _dims_rows(pk__in=ids)
    events = _events_by_dossier(DossierEvent.objects.filter(dossier_id__in=ids))
    total: Counter = Counter()
    for pk in ids:
        history = events.get(pk, [])
        total.update(_difference(dims[pk], history[:-1], dims[pk], history))
    _add(total)


def record_attribute_change(dossier_id: int, **before) -> None:
    """Count a change to what a dossier is counted under that is not an event: a rating given, the first
    synchronisation with the national portal. `before` holds the Dims fields as they were."""
    dims = _dims_rows(pk=dossier_id)[dossier_id]
    history = _events_by_dossier(DossierEvent.objects.filter(dossier_id=dossier_id)).get(dossier_id, [])
    _add(_difference(replace(dims, **before), history, dims, history))


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
