"""Dossiers written straight to the tables for load tests (no event history)."""

import random
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from motcua.calendar.services import get_calendar, to_aware, to_local_naive
from motcua.catalog.models import Case
from motcua.dossiers.models import State
from motcua.org.models import RoleAssignment

from .dossiers import _agencies_for, _personal_id
from .province import STREETS, Province, _name

BULK_MIX = [
    (State.RETURNED, 780), (State.PROCESSING, 80), (State.RECEIVED, 20), (State.AWAITING_SUPPLEMENT, 20),
    (State.AWAITING_VERIFICATION, 10), (State.AWAITING_PAYMENT, 10), (State.RESULT_READY, 20), (State.SUBMITTED, 20),
    (State.REFUSED, 15), (State.WITHDRAWN, 15), (State.STOPPED, 10),
]
OPEN_BULK = {State.PROCESSING, State.RECEIVED, State.AWAITING_SUPPLEMENT, State.AWAITING_VERIFICATION,
             State.AWAITING_PAYMENT, State.RESULT_READY, State.SUBMITTED}


def bulk_dossiers(p: Province, count: int, rng: random.Random, until: datetime, progress=None, batch: int = 5000) -> int:
    """Load-test volume: `count` dossiers written straight to the tables (bulk inserts, not the service
    layer), in the state mix of a year, with due times from the calendar and the open step of every dossier
    in processing (given to a named officer half of the time). No event history: use `seed` for a demo
    whose every dossier was lived through the services."""
    from motcua.dossiers import codes, deadlines
    from motcua.dossiers.models import DailyCounter, Dossier, StepRecord
    from motcua.dossiers.workflow import NATIONAL_STATUS, RECEPTION_ROLES

    cases = [c for c in Case.objects.select_related("version__procedure").prefetch_related("steps").order_by("pk")
             if c.time_limit_unit != "none"]
    holders: dict[tuple[str, int], list[int]] = {}
    for ra in RoleAssignment.objects.filter(user__is_system=False):
        holders.setdefault((ra.role, ra.agency_id), []).append(ra.user_id)
    calendar = get_calendar()
    states, weights = zip(*BULK_MIX, strict=True)
    numbers = {(c.agency_id, c.day): c.value for c in DailyCounter.objects.all()}
    start = until - timedelta(days=365)
    made = 0
    while made < count:
        rows, steps = [], []
        for _ in range(min(batch, count - made)):
            case = rng.choice(cases)
            state = rng.choices(states, weights)[0]
            receiving, competent = _agencies_for(p, case, rng)
            # Open dossiers arrived in the last four weeks; closed ones over the year.
            window = until - timedelta(days=28) if state in OPEN_BULK else start
            received = to_aware(calendar.next_working_time(to_local_naive(
                window + timedelta(seconds=rng.randint(0, int((until - window).total_seconds()) - 3600)))))
            day = timezone.localtime(received).date()
            numbers[receiving.pk, day] = number = numbers.get((receiving.pk, day), 0) + 1
            d = Dossier(
                code=codes.format_code(receiving.identifier_code, day, number), channel=rng.choices([1, 2, 3], [83, 9, 8])[0],
                state=state, national_status=NATIONAL_STATUS.get(state), procedure_version=case.version, case=case,
                applicant_kind="citizen", applicant_name=_name(rng), personal_id=_personal_id(rng, until.date())[0],
                phone=f"09{rng.randint(10**7, 10**8 - 1)}", address=f"Số {rng.randint(1, 300)} đường {rng.choice(STREETS)}",
                population_verified=True, receiving_agency=receiving, competent_agency=competent,
                submitted_at=received, received_at=None if state in (State.SUBMITTED, State.REFUSED) else received,
                last_event_seq=0,
            )
            if d.received_at:
                d.due_at = deadlines.due_time(calendar, d, case, ())
            if state not in OPEN_BULK:
                d.closed_at = d.finished_at = min(until, received + timedelta(days=rng.randint(1, 20)))
                d.returned_at = d.closed_at if state == State.RETURNED else None
            elif state == State.RESULT_READY:
                d.finished_at = min(until, received + timedelta(days=rng.randint(1, 10)))
            rows.append(d)
            if state == State.PROCESSING:
                step = rng.choice([s for s in case.steps.all() if s.role not in RECEPTION_ROLES] or list(case.steps.all()))
                agency = receiving if step.role in RECEPTION_ROLES else competent
                who = holders.get((step.role, agency.pk), [])
                started = received + timedelta(hours=rng.randint(1, 48))
                steps.append((d, StepRecord(
                    order=step.order, name=step.name, role=step.role, agency=agency, budget_hours=step.budget_hours,
                    started_at=started, due_at=deadlines.step_due(calendar, started, step.budget_hours),
                    assignee_id=rng.choice(who) if who and rng.random() < 0.5 else None,
                )))
                d.current_step = step.order
        with transaction.atomic():
            Dossier.objects.bulk_create(rows, batch_size=batch)
            for d, step in steps:
                step.dossier_id = d.pk
            StepRecord.objects.bulk_create([s for _, s in steps], batch_size=batch)
        made += len(rows)
        if progress:
            progress(len(rows))
    # Later dossiers of those days continue after the bulk numbers, so codes stay unique.
    for (agency_id, day), value in numbers.items():
        counter, _ = DailyCounter.objects.get_or_create(agency_id=agency_id, day=day)
        if counter.value < value:
            DailyCounter.objects.filter(pk=counter.pk).update(value=value)
    return made
