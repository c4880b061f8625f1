"""After the holiday table changes: the due times of open dossiers recomputed in bulk, each change an event
chained by the kernel."""

from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace

from django.db import connection, transaction

from motcua.calendar.services import calendar_for_agency, to_aware, to_local_naive
from motcua.ops.postgresql import bulk
from motcua.org.models import Agency
from motcua.workflow import events

from .. import deadlines, workflow
from ..models import (
    Dossier,
    DossierEvent,
    Pause,
    StepRecord,
)
from .common import _iso, _now

# ---------------------------------------------------------------- holiday changes


RECOMPUTE_DUE = workflow.DossierAction.RECOMPUTE_DUE.value
EVENT_COLUMNS = [
    "dossier", "seq", "action", "from_state", "to_state", "actor", "actor_name", "at", "reason", "data", "due_at",
    "hash",
]
def _recompute_open_step_and_answer_dues(dossier_ids: set, pauses: dict, agencies: dict) -> None:
    """After a calendar change, the open steps and pending answers of the dossiers that moved follow too.

    Only dossiers whose due time moved can have a step or answer due time that moved: both lie between
    reception and the dossier's due time.
    """
    if not dossier_ids:
        return
    steps = []
    # Open steps are picked here, not in SQL: a planner choosing the (ended_at, due_at) index for
    # "ended_at IS NULL" would scan every open step of the province for each batch.
    for pk, dossier_id, started, budget, agency_id, due, ended in StepRecord.objects.filter(
        dossier_id__in=list(dossier_ids)
    ).values_list("pk", "dossier_id", "started_at", "budget_hours", "agency_id", "due_at", "ended_at"):
        if ended is not None or budget is None:
            continue
        new = deadlines.step_due(calendar_for_agency(agencies[agency_id]), started, budget, pauses.get(dossier_id, ()))
        if new != due:
            steps.append((new, pk))
    if steps:
        bulk.write_many(StepRecord, ["due_at"], "id", steps)
    for pause in Pause.objects.filter(dossier_id__in=list(dossier_ids), ended_at__isnull=True).select_related(
        "dossier__receiving_agency"
    ):
        days = pause.request.get("answer_days")
        if days:
            calendar = calendar_for_agency(pause.dossier.receiving_agency)
            pause.answer_due_at = to_aware(calendar.add_working_days(to_local_naive(pause.started_at), Decimal(days)))
            pause.save(update_fields=["answer_due_at"])


def recompute_open_due_times(
    *, now: datetime | None = None, batch_size: int = 5000, progress=None, workers: int | None = None
) -> int:
    """Recompute the due time of every received, still-open dossier from the current calendar.

    Run after the holiday table changes. Each dossier whose due time moves gets a "recompute_due" event
    with the old and new times, and its open step and pending answer deadline follow. Returns the number
    of dossiers changed. Works in batches (by id), each its own transaction, so a long run does not hold
    the write lock. A dossier that another action changed between the read and the write is left alone
    (that action recomputed its due time already).

    On PostgreSQL, outside a surrounding transaction, two connections share the batches (`workers`), so
    one computes while the database writes the other's batch.
    """
    from concurrent.futures import ThreadPoolExecutor

    from motcua.catalog.models import Case as CaseModel

    now = _now(now)
    cases = {c.pk: c for c in CaseModel.objects.all()}
    agencies = {a.pk: a for a in Agency.objects.all()}
    ids = list(
        Dossier.objects.filter(state__in=workflow.RUNNING_STATES, received_at__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    ranges = [(ids[i], ids[min(i + batch_size, len(ids)) - 1]) for i in range(0, len(ids), batch_size)]
    if workers is None:
        workers = 2 if connection.vendor == "postgresql" and not connection.in_atomic_block else 1

    def run(first_last):
        changed, count = _recompute_batch(*first_last, now=now, cases=cases, agencies=agencies)
        if progress:
            progress(count)
        return changed

    if workers <= 1:
        return sum(run(r) for r in ranges)

    def run_in_thread(first_last):
        try:
            return run(first_last)
        finally:
            connection.close()  # this thread's own connection

    with ThreadPoolExecutor(workers) as pool:
        return sum(pool.map(run_in_thread, ranges))


def _recompute_batch(first: int, last: int, *, now, cases: dict, agencies: dict) -> tuple[int, int]:
    """One id range of recompute_open_due_times, in one transaction. Returns (changed, read)."""
    reason = "Lịch ngày nghỉ, ngày làm bù thay đổi"
    with transaction.atomic():
        # A primary-key range (an index range scan), read as plain rows, not model instances: at 100k
        # dossiers the ORM's object building dominates.
        rows = [
            SimpleNamespace(**row)
            for row in Dossier.objects.filter(
                state__in=workflow.RUNNING_STATES, received_at__isnull=False, pk__gte=first, pk__lte=last
            ).values(
                "pk", "state", "channel", "case_id", "receiving_agency_id", "submitted_at", "received_at",
                "due_at", "rescheduled_due_at", "apologised_at", "last_event_seq", "audit_head",
            )
        ]
        pauses: dict[int, list] = {}
        for dossier_id, started, ended in Pause.objects.filter(dossier_id__gte=first, dossier_id__lte=last).values_list(
            "dossier_id", "started_at", "ended_at"
        ):
            pauses.setdefault(dossier_id, []).append(deadlines.PausePeriod(started, ended))
        updates, written = [], []
        for d in rows:
            calendar = calendar_for_agency(agencies[d.receiving_agency_id])
            new_due = deadlines.due_time(calendar, d, cases[d.case_id], pauses.get(d.pk, ()))
            if new_due == d.due_at:
                continue
            data = {"old_due_at": _iso(d.due_at), "new_due_at": _iso(new_due)}
            before = d.last_event_seq
            event = events.chain(d, DossierEvent(
                dossier_id=d.pk, action=RECOMPUTE_DUE, from_state=d.state, to_state=d.state, actor_name="Hệ thống",
                at=now, reason=reason, data=data, due_at=new_due))  # numbered and chained by the kernel, written in bulk
            updates.append((new_due, event.seq, event.hash, d.pk, before))
            written.append((d.pk, event.seq, RECOMPUTE_DUE, d.state, d.state, None, "Hệ thống", now, reason, data,
                            new_due, event.hash))
        if not updates:
            return 0, len(rows)
        done = set(bulk.write_many(Dossier, ["due_at", "last_event_seq", "audit_head"], "id", updates, guard="last_event_seq"))
        written = [e for e in written if e[0] in done]
        bulk.write_many(DossierEvent, EVENT_COLUMNS, None, written)
        events.announce("dossier", events.RECORDED_IN_BULK, done)
        _recompute_open_step_and_answer_dues(done, pauses, agencies)
        return len(written), len(rows)
