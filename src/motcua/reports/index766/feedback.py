"""The 766 feedback measures (indicators 5.2 and 5.3): one rule, for the index and for the feedback page.

They count the feedback (PAKN) about a unit sent in the period, as of the end of the period (or now, if
earlier): an item still open counts as within its limit while its deadline has not passed; "troubled" is
dissatisfied with the answer, re-raised or late, each item once. An item not yet given a unit is in no
unit's measures (docs/decisions/0004-index-766.md). feedback.selectors.handling_measures reads its totals
from here; the index reads them grouped by unit, in one query.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from motcua.feedback.models import Feedback


def _start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _as_of(end: date, now: datetime | None) -> datetime:
    return min(now or timezone.now(), _start(end + timedelta(days=1)))


def _counts(moment: datetime) -> dict:
    answered = Q(first_answered_at__isnull=False, first_answered_at__lt=moment)
    late = (answered & Q(first_answer_late=True)) | (~answered & Q(due_at__lt=moment))
    return {
        "received": Count("pk"),
        "answered_on_time": Count("pk", filter=answered & Q(first_answer_late=False)),
        "answered_late": Count("pk", filter=answered & Q(first_answer_late=True)),
        "open_within": Count("pk", filter=~answered & (Q(due_at__gte=moment) | Q(due_at__isnull=True))),
        "open_overdue": Count("pk", filter=~answered & Q(due_at__lt=moment)),
        "satisfied": Count("pk", filter=Q(rating=Feedback.Rating.SATISFIED)),
        "dissatisfied": Count("pk", filter=Q(rating=Feedback.Rating.DISSATISFIED)),
        "reraised": Count("pk", filter=Q(reopened_at__isnull=False)),
        "troubled": Count("pk", filter=Q(rating=Feedback.Rating.DISSATISFIED) | Q(reopened_at__isnull=False) | late),
    }


def measured_items(start: date, end: date, agency_ids=None):
    """The feedback the 766 measures count: sent in start..end (inclusive), about a unit, at the given
    units (all when None)."""
    qs = Feedback.objects.filter(
        created_at__gte=_start(start), created_at__lt=_start(end + timedelta(days=1)), agency__isnull=False
    )
    return qs if agency_ids is None else qs.filter(agency_id__in=list(agency_ids))


def feedback_measures(start: date, end: date, agency_ids=None, now: datetime | None = None) -> dict[str, int]:
    """The measures over the given units together: received, answered_on_time, answered_late,
    open_within, open_overdue, satisfied, dissatisfied, reraised, troubled."""
    return measured_items(start, end, agency_ids).aggregate(**_counts(_as_of(end, now)))


def feedback_measures_by_unit(start: date, end: date, agency_ids=None, now: datetime | None = None) -> dict:
    """{agency id: the measures of feedback_measures} for each unit with feedback in the period."""
    rows = measured_items(start, end, agency_ids).values("agency_id").annotate(**_counts(_as_of(end, now)))
    return {r.pop("agency_id"): r for r in rows}
