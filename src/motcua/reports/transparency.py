"""The public transparency page (công khai kết quả giải quyết): per unit, this month and this year.

Read from the fact table only (two grouped queries), and kept for a few minutes in the cache: the page is
public, so a crowd of visitors costs the database two queries per period of validity, not two each.
"""

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.utils import timezone

from motcua.org.models import Agency

from .selectors import Totals, figures, totals, working_days

CACHE_SECONDS = 300
log = logging.getLogger(__name__)
RATINGS = ("very_satisfied", "satisfied", "dissatisfied")


@dataclass
class PeriodFigures:
    received: int
    finished: int
    on_time_rate: float | None
    online_share: float | None
    satisfaction: float | None  # Rất hài lòng + Hài lòng, out of every rating given in the period
    ratings: int
    average_days: float | None


@dataclass
class UnitFigures:
    agency_id: int
    name: str
    month: PeriodFigures
    year: PeriodFigures


def _period(t: Totals | None, days: int) -> PeriodFigures:
    t = t or Totals(Counter(), Counter(), Counter())
    f = figures(t, days)
    ratings = sum(t.within[f"rated_{level}"] for level in RATINGS)
    pleased = t.within["rated_very_satisfied"] + t.within["rated_satisfied"]
    return PeriodFigures(
        received=f["received"],
        finished=f["finished"],
        on_time_rate=f["on_time_rate"],
        online_share=f["online_share"],
        satisfaction=round(100 * pleased / ratings, 1) if ratings else None,
        ratings=ratings,
        average_days=f["average_days"],
    )


def unit_figures(today: date | None = None) -> dict:
    """{"month": (first, last day), "year": (…), "units": [UnitFigures]} for every unit with dossiers
    this year, by name. Cached for CACHE_SECONDS per day."""
    today = today or timezone.localdate()
    key = f"reports:transparency:{today.isoformat()}"
    try:
        found = cache.get(key)
    except Exception:  # a shared cache (Redis) that is down: compute, the page still answers
        log.warning("transparency cache unavailable", exc_info=True)
        found = None
    if found is not None:
        return found
    month_start, year_start = today.replace(day=1), today.replace(month=1, day=1)
    by_month = totals(month_start, today, group_by="agency")
    by_year = totals(year_start, today, group_by="agency")
    month_days, year_days = working_days(month_start, today), working_days(year_start, today)
    names = dict(Agency.objects.filter(pk__in=list(by_year)).values_list("pk", "name"))
    units = [
        UnitFigures(pk, names.get(pk, str(pk)), _period(by_month.get(pk), month_days), _period(by_year.get(pk), year_days))
        for pk in by_year
    ]
    units.sort(key=lambda u: u.name)
    result = {"month": (month_start, today), "year": (year_start, today), "units": units}
    try:
        cache.set(key, result, CACHE_SECONDS)
    except Exception:
        log.warning("transparency cache unavailable", exc_info=True)
    return result
