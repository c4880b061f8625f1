"""Report reads: statistics per unit, field or procedure for any period, and the dossiers behind each figure.

Every figure comes from the fact table (reports/facts.py) in one query; the list behind a figure comes
from the dossiers themselves and is checked with the same counting rule, so the two always agree.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Case, F, IntegerField, Q, Sum, When
from django.utils import timezone

from motcua.calendar.services import calendar_for_agency
from motcua.catalog.models import Field, Procedure
from motcua.dossiers.models import Channel, Dossier, DossierEvent
from motcua.dossiers.selectors import agency_ids_in_scope
from motcua.org.models import Agency

from . import facts
from .models import Fact

FAR_PAST = date(2000, 1, 1)
GROUPS = {"agency": "agency_id", "field": "procedure__field_id", "procedure": "procedure_id"}
OPEN_STOCKS = ("not_due", "overdue", "paused_supplement", "paused_verification", "paused_payment")
# Default online-share targets (%): departments 30, communes 40 (the seed reports' figures).
DEFAULT_TARGETS = {
    Agency.Kind.DEPARTMENT: 30, Agency.Kind.DIVISION: 30, Agency.Kind.PROVINCIAL_CENTRE: 30,
    Agency.Kind.VERTICAL_AGENCY: 30, Agency.Kind.COMMUNE_COMMITTEE: 40, Agency.Kind.COMMUNE_CENTRE: 40,
}


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _exact(start: date, end: date) -> list[tuple[str, date, date]]:
    """(grain, first day, last day) of whole blocks that cover start..end (inclusive) once each: whole
    years, whole months, whole weeks (Monday to Sunday) inside what is left of a month, then runs of days."""
    out = []
    day = start
    while day <= end:
        month_end = _next_month(day) - timedelta(days=1)
        if day.month == 1 and day.day == 1 and date(day.year, 12, 31) <= end:
            out.append(("y", day, date(day.year, 12, 31)))
            day = date(day.year + 1, 1, 1)
        elif day.day == 1 and month_end <= end:
            out.append(("m", day, month_end))
            day = month_end + timedelta(days=1)
        else:
            last = min(end, month_end)
            monday = day + timedelta(days=-day.weekday() % 7)
            if monday + timedelta(days=6) <= last:
                if day < monday:
                    out.append(("d", day, monday - timedelta(days=1)))
                while monday + timedelta(days=6) <= last:
                    out.append(("w", monday, monday + timedelta(days=6)))
                    monday += timedelta(days=7)
                day = monday
            if day <= last:
                out.append(("d", day, last))
            day = last + timedelta(days=1)
    return out


def _cost(parts) -> float:
    # Rows read: a year, month or week block has about as many rows as there are unit × procedure ×
    # measure combinations in use; a day about a third of that (measured at 10M dossiers).
    return sum((last - first).days * 0.3 + 0.3 if grain == "d" else 1 for grain, first, last in parts)


def spans(start: date, end: date) -> list[tuple[str, date, date, int]]:
    """(grain, first day, last day, sign) of the fact blocks whose signed sum is start..end (inclusive).

    Whole blocks, as few as possible: when the period ends inside a year or month that it runs to from the
    first day, the whole year or month is read (+1) and what follows `end` in it taken off (-1). The year
    so far is then one year block less the rest of the year, instead of ten months and a month's days.
    Every block added starts within start..end; every block taken off starts after `end`."""
    out = []
    day = start
    while day <= end:
        whole = None
        if day.month == 1 and day.day == 1:
            whole = ("y", day, date(day.year, 12, 31))
        elif day.day == 1:
            whole = ("m", day, _next_month(day) - timedelta(days=1))
        if whole and whole[2] <= end:
            out.append((*whole, 1))
            day = whole[2] + timedelta(days=1)
            continue
        exact = _exact(day, end)
        if whole:
            rest = _exact(end + timedelta(days=1), whole[2])
            if 1 + _cost(rest) < _cost(exact):
                return out + [(*whole, 1)] + [(*part, -1) for part in rest]
        return out + [(*part, 1) for part in exact]
    return out


def _condition(parts) -> Q:
    """The fact rows of these blocks, as one filter."""
    starts: dict = {"y": [], "m": [], "w": []}
    condition = Q(pk__in=[])
    for grain, first, last in parts:
        if grain == "d":
            condition |= Q(grain="d", period__gte=first, period__lte=last)
        else:
            starts[grain].append(first)
    for grain, firsts in starts.items():
        if firsts:
            condition |= Q(grain=grain, period__in=firsts)
    return condition


def blocks(start: date, end: date) -> tuple[Q, Sum]:
    """(filter, sum) over the fact rows of spans(start, end): the rows to read, and the sum of their values
    with each block's sign (a row outside the blocks counts 0, so one query can sum several periods)."""
    parts = spans(start, end)
    added = [part[:3] for part in parts if part[3] == 1]
    taken_off = [part[:3] for part in parts if part[3] == -1]
    whens = [When(_condition(added), then="value")]
    if taken_off:
        whens.append(When(_condition(taken_off), then=-F("value")))
    rows = _condition(added + taken_off)
    return rows, Sum(Case(*whens, default=0, output_field=IntegerField()))


@dataclass
class Totals:
    """Per group: flows within the period, stocks at its end, stocks just before it."""

    within: Counter
    at_end: Counter
    before: Counter


def combined(parts) -> Totals:
    """The Totals of several groups together (each fact row is in exactly one group)."""
    out = Totals(Counter(), Counter(), Counter())
    for t in parts:
        out.within.update(t.within)
        out.at_end.update(t.at_end)
        out.before.update(t.before)
    return out


def totals(start: date, end: date, *, agency_ids=None, procedure_ids=None, group_by: str | None = None) -> dict:
    """{group key (None when not grouped): Totals} over start..end for the agencies/procedures given."""
    before_q, before_sum = blocks(FAR_PAST, start - timedelta(days=1))
    within_q, within_sum = blocks(start, end)
    qs = Fact.objects.filter(before_q | within_q)
    # A long list of units in SQL makes PostgreSQL misjudge the period's index scans and read the whole
    # table (1.3 s instead of 0.2 s at 10M dossiers); a few units are selective enough to filter there.
    scope = None if agency_ids is None else set(agency_ids)
    if scope is not None and len(scope) <= 20:
        qs = qs.filter(agency_id__in=list(scope))
    if procedure_ids is not None:
        qs = qs.filter(procedure_id__in=list(procedure_ids))
    column = GROUPS[group_by] if group_by else None
    fields = ([column] if column else []) + (["agency_id"] if scope is not None and column != "agency_id" else []) + ["measure"]
    rows = qs.values(*fields).annotate(b=before_sum, w=within_sum)
    out: dict = {}
    for row in rows:
        if scope is not None and row["agency_id"] not in scope:
            continue
        key = row[column] if column else None
        t = out.setdefault(key, Totals(Counter(), Counter(), Counter()))
        m = row["measure"]
        if m in facts.STOCKS:
            t.before[m] += row["b"]
            t.at_end[m] += row["b"] + row["w"]
        else:
            t.within[m] += row["w"]
    return out


def _ratio(part, whole):
    return None if not whole else round(100 * part / whole, 2)


def figures(t: Totals, working_days: int, target: int | None = None) -> dict:
    """The statistics of one row, named as on the report (see FIGURES for the labels)."""
    w, e = t.within, t.at_end
    received = {c: w[f"received_{c}"] for c in Channel.values}
    total_received = sum(received.values())
    backlog = sum(t.before[m] for m in OPEN_STOCKS)
    to_process = total_received + backlog
    finished = w["finished_early"] + w["finished_on_time"] + w["finished_late"]
    late = w["finished_late"] + e["overdue"]
    paused = e["paused_supplement"] + e["paused_verification"] + e["paused_payment"]
    return {
        "received_direct": received[Channel.DIRECT],
        "received_online": received[Channel.ONLINE],
        "received_postal": received[Channel.POSTAL],
        "received": total_received,
        "backlog": backlog,
        "to_process": to_process,
        "finished_early": w["finished_early"],
        "finished_on_time": w["finished_on_time"],
        "finished_late": w["finished_late"],
        "finished": finished,
        "not_due": e["not_due"],
        "overdue": e["overdue"],
        "paused_supplement": e["paused_supplement"],
        "paused_verification": e["paused_verification"],
        "paused_payment": e["paused_payment"],
        "paused": paused,
        "waiting": e["waiting"],
        "ready": e["ready"],
        "refused": w["refused"],
        "withdrawn": w["withdrawn"],
        "stopped": w["stopped"],
        "returned": w["returned"],
        "returned_per_working_day": round(w["returned"] / working_days, 1) if working_days else None,
        "online_share": _ratio(received[Channel.ONLINE], total_received),
        "online_target": target,
        "on_time_rate": None if not to_process else round(100 - 100 * late / to_process, 2),
        "average_days": round(w["processing_minutes"] / finished / 1440, 1) if finished else None,
        "apologised": w["apologised"],
        "supplement_requests": w["supplement_requests"],
    }


# Label, and whether the figure is a count with a list of dossiers behind it.
FIGURES = [
    ("received_direct", "Tiếp nhận trực tiếp", True),
    ("received_online", "Tiếp nhận trực tuyến", True),
    ("received_postal", "Tiếp nhận qua bưu chính", True),
    ("received", "Tổng tiếp nhận trong kỳ", True),
    ("backlog", "Kỳ trước chuyển sang", True),
    ("to_process", "Tổng số phải giải quyết", False),
    ("finished_early", "Giải quyết trước hạn", True),
    ("finished_on_time", "Giải quyết đúng hạn", True),
    ("finished_late", "Giải quyết quá hạn", True),
    ("finished", "Tổng đã giải quyết", True),
    ("not_due", "Đang giải quyết, trong hạn", True),
    ("overdue", "Đang giải quyết, quá hạn", True),
    ("paused_supplement", "Tạm dừng: chờ bổ sung", True),
    ("paused_verification", "Tạm dừng: chờ xác minh", True),
    ("paused_payment", "Tạm dừng: chờ nghĩa vụ tài chính", True),
    ("paused", "Tổng tạm dừng", True),
    ("waiting", "Chờ tiếp nhận", True),
    ("ready", "Đã có kết quả, chờ trả", True),
    ("refused", "Từ chối tiếp nhận", True),
    ("withdrawn", "Công dân rút hồ sơ", True),
    ("stopped", "Dừng xử lý", True),
    ("returned", "Đã trả kết quả", True),
    ("returned_per_working_day", "Trả kết quả bình quân mỗi ngày làm việc", False),
    ("online_share", "Tỷ lệ hồ sơ trực tuyến (%)", False),
    ("online_target", "Chỉ tiêu trực tuyến (%)", False),
    ("on_time_rate", "Tỷ lệ đúng hạn (%)", False),
    ("average_days", "Thời gian giải quyết bình quân (ngày)", False),
]
FIGURE_LABELS = {key: label for key, label, _ in FIGURES}
DRILLABLE = {key for key, _, listed in FIGURES if listed}


def working_days(start: date, end: date, agency: Agency | None = None) -> int:
    """Working days in start..end on the unit's calendar (the province's when none): the divisor of
    "returned per working day"."""
    calendar = calendar_for_agency(agency)
    count, day = 0, start
    while day <= end:
        count += calendar.is_working_day(day)
        day += timedelta(days=1)
    return count


def online_target(agency: Agency) -> int | None:
    target = getattr(agency, "online_target", None) if agency.pk else None
    if target is not None:
        return target.percent
    return DEFAULT_TARGETS.get(agency.kind)


@dataclass
class StatisticsRow:
    key: object
    label: str
    figures: dict


def statistics(user, start: date, end: date, *, group_by: str = "agency", agency_id=None, field_id=None) -> dict:
    """The statistics table for `user`'s units (all units for a superuser), grouped by unit, field or
    procedure, with a total row. Raises ValueError for a period that ends before it starts."""
    if end < start:
        raise ValueError("Ngày kết thúc kỳ báo cáo phải sau ngày bắt đầu.")
    scope = scope_ids(user)
    if agency_id is not None:
        scope = [a for a in (scope if scope is not None else [agency_id]) if a == agency_id]
    procedures = None
    if field_id is not None:
        procedures = list(Procedure.objects.filter(field_id=field_id).values_list("pk", flat=True))
    grouped = totals(start, end, agency_ids=scope, procedure_ids=procedures, group_by=group_by)
    days = working_days(start, end)
    labels = _labels(group_by, grouped.keys())
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=list(grouped)).select_related("online_target")} \
        if group_by == "agency" else {}
    rows = [
        StatisticsRow(key, labels.get(key, str(key)), figures(t, days, online_target(agencies[key]) if key in agencies else None))
        for key, t in grouped.items()
    ]
    rows.sort(key=lambda r: r.label)
    total = figures(combined(grouped.values()), days)
    return {"rows": rows, "total": total, "working_days": days, "start": start, "end": end, "group_by": group_by}


def scope_ids(user) -> list[int] | None:
    """None means every unit (superusers); otherwise the ids of the user's units and those below."""
    if user.is_superuser:
        return None
    return agency_ids_in_scope(user)


def _labels(group_by: str, keys) -> dict:
    model = {"agency": Agency, "field": Field, "procedure": Procedure}[group_by]
    if group_by == "procedure":
        return {p.pk: f"{p.code} {p.name}" for p in model.objects.filter(pk__in=list(keys))}
    return dict(model.objects.filter(pk__in=list(keys)).values_list("pk", "name"))


# ---------------------------------------------------------------- the dossiers behind a figure

STOCK_FIGURES = {
    "not_due": ("not_due",), "overdue": ("overdue",), "paused_supplement": ("paused_supplement",),
    "paused_verification": ("paused_verification",), "paused_payment": ("paused_payment",),
    "paused": ("paused_supplement", "paused_verification", "paused_payment"), "waiting": ("waiting",),
    "ready": ("ready",), "backlog": OPEN_STOCKS,
}
FLOW_FIGURES = {
    "received_direct": ("received_1",), "received_online": ("received_2",), "received_postal": ("received_3",),
    "received": ("received_1", "received_2", "received_3"),
    "finished_early": ("finished_early",), "finished_on_time": ("finished_on_time",),
    "finished_late": ("finished_late",), "finished": ("finished_early", "finished_on_time", "finished_late"),
    "refused": ("refused",), "withdrawn": ("withdrawn",), "stopped": ("stopped",), "returned": ("returned",),
}
MAX_CHECKED = 50_000


class TooMany(Exception):
    """The list behind a figure would need too many dossiers checked; the user should narrow it."""


def _local_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def dossiers_behind(user, figure: str, start: date, end: date, *, agency_id=None, procedure_id=None,
                    field_id=None, measures: tuple | None = None) -> list[int]:
    """Ids of the dossiers counted in `figure` (or in any of `measures`, e.g. 766 cohort measures) for the
    same scope and period, newest first. Raises KeyError for a figure that is not a count and TooMany when
    the candidates exceed MAX_CHECKED."""
    stock = figure in STOCK_FIGURES
    wanted = measures or STOCK_FIGURES.get(figure) or FLOW_FIGURES[figure]
    moment_end = _local_start(end + timedelta(days=1))
    moment_start = _local_start(start)
    qs = Dossier.objects.all()
    scope = scope_ids(user)
    if scope is not None:
        qs = qs.filter(competent_agency_id__in=scope)
    if agency_id is not None:
        qs = qs.filter(competent_agency_id=agency_id)
    if procedure_id is not None:
        qs = qs.filter(procedure_version__procedure_id=procedure_id)
    if field_id is not None:
        qs = qs.filter(procedure_version__procedure__field_id=field_id)
    if stock:
        upto = moment_start if figure == "backlog" else moment_end
        qs = qs.filter(submitted_at__lt=upto).filter(Q(closed_at__isnull=True) | Q(closed_at__gte=upto))
        first, last = FAR_PAST, (start - timedelta(days=1)) if figure == "backlog" else end
    else:
        happened = DossierEvent.objects.filter(at__gte=moment_start, at__lt=moment_end).values("dossier_id")
        qs = qs.filter(Q(pk__in=happened) | Q(rating__at__gte=moment_start, rating__at__lt=moment_end))
        first, last = start, end
    ids = list(qs.order_by("-pk").values_list("pk", flat=True)[: MAX_CHECKED + 1])
    if len(ids) > MAX_CHECKED:
        raise TooMany(f"Danh sách cần kiểm tra hơn {MAX_CHECKED:,} hồ sơ; hãy chọn một đơn vị hoặc kỳ ngắn hơn.")
    low, high = facts.date_number(first), facts.date_number(last)
    out = []
    for part in range(0, len(ids), 2000):
        chunk = ids[part:part + 2000]
        dims = facts._dims_rows(pk__in=chunk)
        events = facts._events_by_dossier(DossierEvent.objects.filter(dossier_id__in=chunk, at__lt=moment_end))
        for pk in chunk:
            counted = facts.contributions(dims[pk], events.get(pk, ()))
            if sum(v for (day, m), v in counted.items() if m in wanted and low <= day <= high) > 0:
                out.append(pk)
    return out
