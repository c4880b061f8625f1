"""Chart data read from the fact table only (never from dossiers).

Weekly series use the week blocks (Fact grain "w", period = the Monday); a period longer than
MAX_WEEKS weeks is drawn by month instead, from the month blocks, so a chart never has hundreds of points.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Sum

from motcua.catalog.models import Procedure
from motcua.dossiers.models import Channel

from .models import Fact

MAX_WEEKS = 26
RECEIVED = tuple(f"received_{c}" for c in Channel.values)
FINISHED = ("finished_early", "finished_on_time", "finished_late")


@dataclass
class Activity:
    """Received and finished dossiers per week (grain "w") or per month (grain "m"); `starts` are the
    first days of the blocks (Mondays or firsts of the month), in order."""

    grain: str
    starts: list
    received: list
    finished: list


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _months(start: date, end: date) -> list[date]:
    out, day = [], start.replace(day=1)
    while day <= end:
        out.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return out


def activity(start: date, end: date, *, agency_ids=None, field_id=None, procedure_ids=None) -> Activity:
    """Received and finished per week of start..end (the weeks that overlap it, whole), or per month when
    the period spans more than MAX_WEEKS weeks. `agency_ids` None means every unit."""
    first = monday(start)
    weeks = []
    day = first
    while day <= end:
        weeks.append(day)
        day += timedelta(days=7)
    grain, starts = ("w", weeks) if len(weeks) <= MAX_WEEKS else ("m", _months(start, end))
    qs = Fact.objects.filter(grain=grain, period__gte=starts[0], period__lte=starts[-1],
                             measure__in=RECEIVED + FINISHED)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=list(agency_ids))
    if field_id is not None:
        qs = qs.filter(procedure_id__in=list(Procedure.objects.filter(field_id=field_id).values_list("pk", flat=True)))
    if procedure_ids is not None:
        qs = qs.filter(procedure_id__in=list(procedure_ids))
    received, finished = Counter(), Counter()
    for row in qs.values("period", "measure").annotate(total=Sum("value")):
        (received if row["measure"] in RECEIVED else finished)[row["period"]] += row["total"]
    return Activity(grain, starts, [received[s] for s in starts], [finished[s] for s in starts])


def channel_mix(total: dict) -> list[tuple[str, int]]:
    """(channel label, received) from a statistics total row."""
    return [
        (str(Channel.DIRECT.label), total["received_direct"]),
        (str(Channel.ONLINE.label), total["received_online"]),
        (str(Channel.POSTAL.label), total["received_postal"]),
    ]


def on_time_by_unit(rows) -> list[tuple[str, float]]:
    """(unit, on-time rate %) for the statistics rows that had dossiers to process."""
    return [(r.label, r.figures["on_time_rate"]) for r in rows if r.figures["on_time_rate"] is not None]


def online_share_by_unit(rows) -> list[tuple[str, float, int | None]]:
    """(unit, online share %, target %) for the statistics rows that received dossiers."""
    return [(r.label, r.figures["online_share"], r.figures["online_target"])
            for r in rows if r.figures["online_share"] is not None]
