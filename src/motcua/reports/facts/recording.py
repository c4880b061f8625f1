"""Writing: the facts an event or an attribute change adds, in the caller's transaction."""

from collections import Counter
from dataclasses import replace
from datetime import timedelta

from django.db import connection

from motcua.dossiers.models import Dossier, DossierEvent

from ..models import Fact
from .counting import Dims, contributions, day_date
from .reading import _dims_rows, _events_by_dossier

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
