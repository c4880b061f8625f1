"""Due times are derived, never typed: from the case's time limit, the calendar and the pauses.

The only human-set date is the once-allowed reschedule in an apology; pauses that begin after it
still move it.
"""

from dataclasses import dataclass
from datetime import datetime

from motcua.calendar.engine import Timing, WorkingCalendar, classify
from motcua.calendar.services import calendar_for_agency, to_aware, to_local_naive

from .models import Channel


@dataclass(frozen=True)
class PausePeriod:
    started_at: datetime
    ended_at: datetime | None


def base_due(calendar: WorkingCalendar, case, channel: int, received_at: datetime) -> datetime | None:
    """The promised time before any pause, in local wall-clock time."""
    online = channel == Channel.ONLINE
    unit, value = case.time_limit(online)
    if value is not None and value == value.to_integral_value():
        value = int(value)  # whole days are the common case and integer arithmetic is much cheaper
    return calendar.due_time(
        to_local_naive(received_at),
        value,
        unit,
        same_day_cutoff=case.same_day_cutoff,
        late_cutoff=case.online_cutoff if online else None,
    )


def paused_minutes(calendar: WorkingCalendar, pauses, since: datetime | None = None) -> int:
    """Working minutes spent in closed pauses (those started after `since` only, when given)."""
    total = 0
    for p in pauses:
        if p.ended_at is None or (since is not None and p.started_at < since):
            continue
        total += calendar.working_minutes_between(to_local_naive(p.started_at), to_local_naive(p.ended_at))
    return total


def due_time(calendar: WorkingCalendar, dossier, case, pauses) -> datetime | None:
    """The current promised time of a received dossier (aware), or None when the case has no limit."""
    if dossier.received_at is None:
        return None
    if dossier.rescheduled_due_at is not None:
        base = to_local_naive(dossier.rescheduled_due_at)
        since = dossier.apologised_at
    else:
        base = base_due(calendar, case, dossier.channel, dossier.received_at)
        since = None
    if base is None:
        return None
    minutes = paused_minutes(calendar, pauses, since)
    return to_aware(calendar.extend(base, minutes) if minutes else base)


def dossier_due(dossier) -> datetime | None:
    return due_time(calendar_for_agency(dossier.receiving_agency), dossier, dossier.case, dossier.pauses.all())


def step_due(calendar: WorkingCalendar, started_at: datetime, budget_hours, pauses=()) -> datetime | None:
    if budget_hours is None:
        return None
    due = calendar.add_working_hours(to_local_naive(started_at), budget_hours)
    minutes = paused_minutes(calendar, [p for p in pauses if p.started_at >= started_at])
    return to_aware(calendar.extend(due, minutes) if minutes else due)


def timing(finished_at: datetime | None, due_at: datetime | None) -> Timing | None:
    if finished_at is None:
        return None
    return classify(
        to_local_naive(finished_at), to_local_naive(due_at) if due_at is not None else None
    )
