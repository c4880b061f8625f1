"""The figures supervisors enter (IndexInput): the newest of each month, and their audit trail."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from ..models import IndexInput
from .spec import INPUT_CODES


def latest_inputs(start: date, end: date, scope) -> dict:
    """{agency id: {indicator: (numerator, denominator)}}: the newest row of each (unit, indicator, month)
    whose month overlaps the period, summed over the months."""
    qs = IndexInput.objects.filter(month__gte=start.replace(day=1), month__lte=end, indicator__in=INPUT_CODES)
    if scope is not None:
        qs = qs.filter(agency_id__in=list(scope))
    seen = set()
    out: dict = defaultdict(dict)
    for agency_id, indicator, month, num, den in qs.order_by("-entered_at", "-pk").values_list(
            "agency_id", "indicator", "month", "numerator", "denominator"):
        if (agency_id, indicator, month) in seen:
            continue
        seen.add((agency_id, indicator, month))
        n, d = out[agency_id].get(indicator, (0, 0))
        out[agency_id][indicator] = (n + num, d + den)
    return out


# ---------------------------------------------------------------- the inputs' audit trail


@dataclass
class InputEntry:
    row: IndexInput
    previous: IndexInput | None  # the row it replaced (same unit, indicator and month)


def input_history(agency_id: int, start: date, end: date) -> list[InputEntry]:
    """Every row entered for the unit for the months of the period, newest first, each with the row it
    replaced: who, when, old → new."""
    rows = list(IndexInput.objects.filter(agency_id=agency_id, month__gte=start.replace(day=1), month__lte=end)
                .select_related("entered_by").order_by("entered_at", "pk"))
    last: dict = {}
    out = []
    for row in rows:
        key = (row.indicator, row.month)
        out.append(InputEntry(row, last.get(key)))
        last[key] = row
    out.reverse()
    return out
