"""Reads of feedback (PAKN) and ratings: the measures the 766 satisfaction group and the head of unit use.

Feedback volumes are small next to dossiers (a few per thousand), so these count the items directly;
dossier ratings by unit and procedure come from the fact table (rated_<level> measures).
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from motcua.dossiers.models import DossierEvent
from motcua.reports.index766.feedback import feedback_measures

from .models import Feedback, Rating


def _start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def items_in(start: date, end: date, agency_ids=None):
    """Feedback received in start..end (inclusive), at the given units (all when None)."""
    qs = Feedback.objects.filter(created_at__gte=_start(start), created_at__lt=_start(end + timedelta(days=1)))
    return qs if agency_ids is None else qs.filter(agency_id__in=list(agency_ids))


@dataclass
class HandlingMeasures:
    received: int
    answered_on_time: int
    answered_late: int
    open_within: int
    open_overdue: int
    satisfied: int
    dissatisfied: int
    reraised: int
    troubled: int  # dissatisfied, re-raised or late: each item once

    @property
    def on_time_percent(self) -> float | None:
        """766 indicator 5.2: handled on time, or in progress within the limit, out of those received."""
        return None if not self.received else round(100 * (self.answered_on_time + self.open_within) / self.received, 2)

    @property
    def satisfaction_percent(self) -> float | None:
        """766 indicator 5.3: (total − dissatisfied, re-raised or late) / total."""
        return None if not self.received else round(100 * (self.received - self.troubled) / self.received, 2)


def handling_measures(start: date, end: date, agency_ids=None, now: datetime | None = None) -> HandlingMeasures:
    """How the feedback about a unit received in the period was handled, as of the end of the period (or
    now, if earlier): the 766 feedback measures, whose rule the index owns (reports.index766.feedback)."""
    return HandlingMeasures(**feedback_measures(start, end, agency_ids, now))


def scope(user) -> Q | None:
    """The items a user's roles reach: those of the units where they hold a role (and the units below),
    and, for staff of a top-level unit (the province), the items that have no unit yet. None: no role."""
    from motcua.org.models import RoleAssignment
    from motcua.org.selectors import agencies_with_role

    assignments = RoleAssignment.objects.filter(user=user)
    if not assignments.exists():
        return None
    q = Q(agency_id__in=agencies_with_role(user).values("pk"))
    if assignments.filter(agency__parent__isnull=True).exists():
        q |= Q(agency__isnull=True)
    return q


@dataclass
class OfficerCount:
    officer: str
    complaints: int
    dissatisfied: int
    ratings: int


def most_complained(start: date, end: date, agency_ids=None, limit: int = 10) -> dict:
    """For the head of unit: the dossiers with the most feedback, and the officers who received the
    dossiers that drew complaints or "Không hài lòng" ratings in the period, most first."""
    items = items_in(start, end, agency_ids).filter(dossier__isnull=False)
    dossiers = list(
        items.values("dossier_id", "dossier__code", "dossier__applicant_name")
        .annotate(n=Count("pk")).order_by("-n", "dossier__code")[:limit]
    )
    complained = Counter(items.values_list("dossier_id", flat=True))
    ratings = Rating.objects.filter(at__gte=_start(start), at__lt=_start(end + timedelta(days=1)))
    if agency_ids is not None:
        ratings = ratings.filter(dossier__competent_agency_id__in=list(agency_ids))
    rated = dict(ratings.values_list("dossier_id", "level"))
    receivers = dict(
        DossierEvent.objects.filter(action="receive", dossier_id__in=set(complained) | set(rated))
        .values_list("dossier_id", "actor_name")
    )
    per_officer: dict[str, OfficerCount] = {}
    for dossier_id, name in receivers.items():
        row = per_officer.setdefault(name, OfficerCount(name, 0, 0, 0))
        row.complaints += complained.get(dossier_id, 0)
        if dossier_id in rated:
            row.ratings += 1
            row.dissatisfied += rated[dossier_id] == Rating.Level.DISSATISFIED
    officers = sorted(
        (o for o in per_officer.values() if o.complaints or o.dissatisfied),
        key=lambda o: (-o.complaints - o.dissatisfied, o.officer),
    )[:limit]
    return {"dossiers": dossiers, "officers": officers}


LEVELS = ("very_satisfied", "satisfied", "dissatisfied")


def _percent(part: int, whole: int):
    return None if not whole else round(100 * part / whole, 2)


def _rating_row(label: str, very: int, satisfied: int, dissatisfied: int) -> dict:
    total = very + satisfied + dissatisfied
    return {"label": label, "very": very, "satisfied": satisfied, "dissatisfied": dissatisfied, "total": total,
            "share": _percent(dissatisfied, total)}


def _sorted(rows: list[dict]) -> list[dict]:
    """The most dissatisfied share first, then the most ratings."""
    return sorted(rows, key=lambda r: (-(r["share"] or 0), -r["total"], r["label"]))


def ratings_by(start: date, end: date, agency_ids, group_by: str) -> list[dict]:
    """Dossier ratings given in the period per unit ("agency") or procedure, from the fact table (rows with
    at least one rating): counts per level and the share of "Không hài lòng"."""
    from motcua.catalog.models import Procedure
    from motcua.org.models import Agency
    from motcua.reports.selectors import totals

    found = totals(start, end, agency_ids=agency_ids, group_by=group_by)
    keys = [k for k, t in found.items() if k is not None and any(t.within[f"rated_{m}"] for m in LEVELS)]
    if group_by == "procedure":
        labels = {p.pk: f"{p.code} {p.name}" for p in Procedure.objects.filter(pk__in=keys)}
    else:
        labels = dict(Agency.objects.filter(pk__in=keys).values_list("pk", "name"))
    return _sorted([
        _rating_row(labels.get(k, "—"), *(found[k].within[f"rated_{m}"] for m in LEVELS)) for k in keys
    ])


def ratings_by_officer(start: date, end: date, agency_ids=None) -> list[dict]:
    """Dossier ratings given in the period per officer who received the dossier at the counter (or the
    system, for online dossiers received automatically)."""
    ratings = Rating.objects.filter(at__gte=_start(start), at__lt=_start(end + timedelta(days=1)))
    if agency_ids is not None:
        ratings = ratings.filter(dossier__competent_agency_id__in=list(agency_ids))
    rated = dict(ratings.values_list("dossier_id", "level"))
    receivers = dict(
        DossierEvent.objects.filter(action="receive", dossier_id__in=list(rated)).values_list("dossier_id", "actor_name")
    )
    counts: dict[str, Counter] = {}
    for dossier_id, level in rated.items():
        counts.setdefault(receivers.get(dossier_id, "—"), Counter())[level] += 1
    return _sorted([_rating_row(name, *(c[m] for m in LEVELS)) for name, c in counts.items()])


def total_row(rows: list[dict]) -> dict:
    total = {k: sum(r[k] for r in rows) for k in ("very", "satisfied", "dissatisfied", "total")}
    return total | {"share": _percent(total["dissatisfied"], total["total"])}


def public_answers(query: str = ""):
    """Answered items marked public, newest first; `query` matched without accents (question or answer)."""
    from motcua.portal.search import fold

    qs = Feedback.objects.filter(public=True, first_answered_at__isnull=False).order_by("-first_answered_at")
    words = fold(query).split()
    if not words:
        return qs
    keep = [
        pk for pk, q, a in qs.values_list("pk", "public_question", "public_answer")
        if all(w in fold(f"{q} {a}") for w in words)
    ]
    return qs.filter(pk__in=keep)
