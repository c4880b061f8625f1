"""Due times are derived, never typed: from the case's time limit, the calendar and the pauses.

The only human-set date is the once-allowed reschedule in an apology; the pause time after it still
moves it. Dossier and step due times use the same rule: a start, a working-time budget, plus the working
minutes spent in closed pauses since a given moment.
"""

from dataclasses import dataclass
from datetime import datetime

from motcua.calendar.engine import Timing, WorkingCalendar, classify
from motcua.calendar.services import to_aware, to_local_naive

from .models import Channel


@dataclass(frozen=True)
class PausePeriod:
    started_at: datetime
    ended_at: datetime | None


def counting_start(dossier, case) -> datetime:
    """When the clock starts: reception; for an online case with a late cut-off (17:00 → 08:00 next
    working day), the citizen's submission, since that rule is about when the system got the dossier.
    """
    if dossier.channel == Channel.ONLINE and case.online_cutoff and dossier.submitted_at:
        return dossier.submitted_at
    return dossier.received_at


def base_due(calendar: WorkingCalendar, case, channel: int, start: datetime) -> datetime | None:
    """The promised time before any pause, in local wall-clock time."""
    online = channel == Channel.ONLINE
    unit, value = case.time_limit(online)
    if value is not None and value == value.to_integral_value():
        value = int(value)  # whole days are the common case and integer arithmetic is much cheaper
    return calendar.due_time(
        to_local_naive(start),
        value,
        unit,
        same_day_cutoff=case.same_day_cutoff,
        late_cutoff=case.online_cutoff if online else None,
    )


def paused_minutes(calendar: WorkingCalendar, pauses, since: datetime | None = None) -> int:
    """Working minutes spent in closed pauses; with `since`, only the part of each pause after it."""
    total = 0
    for p in pauses:
        if p.ended_at is None:
            continue
        start = max(p.started_at, since) if since is not None else p.started_at
        if start < p.ended_at:
            total += calendar.working_minutes_between(to_local_naive(start), to_local_naive(p.ended_at))
    return total


def _extended(calendar: WorkingCalendar, base: datetime, pauses, since) -> datetime:
    minutes = paused_minutes(calendar, pauses, since)
    return to_aware(calendar.extend(base, minutes) if minutes else base)


def due_time(calendar: WorkingCalendar, dossier, case, pauses) -> datetime | None:
    """The current promised time of a received dossier (aware), or None when the case has no limit."""
    if dossier.received_at is None:
        return None
    if dossier.rescheduled_due_at is not None:
        base, since = to_local_naive(dossier.rescheduled_due_at), dossier.apologised_at
    else:
        base, since = base_due(calendar, case, dossier.channel, counting_start(dossier, case)), None
    return None if base is None else _extended(calendar, base, pauses, since)


def step_due(calendar: WorkingCalendar, started_at: datetime, budget_hours, pauses=()) -> datetime | None:
    """A step's due time: its budget of working hours from when it started, plus pauses since then."""
    if budget_hours is None:
        return None
    minutes = int(round(budget_hours * 60))  # whole minutes: Decimal hours would go through Fractions
    return _extended(calendar, calendar.add_working_minutes(to_local_naive(started_at), minutes), pauses, started_at)


def timing(finished_at: datetime | None, due_at: datetime | None) -> Timing | None:
    if finished_at is None:
        return None
    return classify(to_local_naive(finished_at), to_local_naive(due_at) if due_at is not None else None)
