"""The deadline watch for feedback (PAKN), run each working morning with the dossiers' watch
(feedback/tasks.py).

- Due soon: an item still being handled whose answer is due by the end of the next working day is
  reminded to the officer it was assigned to, or, while nobody has it, to the unit's dispatchers (heads,
  unit admins, one-stop officers; for an item with no unit yet, those of the province). So an item is
  reminded on the working day before its deadline and again on the day itself.
- Overdue: once the deadline has passed, the unit's head (Thủ trưởng cơ quan) is told, every working
  morning until the item is answered.
One e-mail per person and kind a day, through the outbox with a key per day, so a second run the same
day sends nothing new. Nothing is sent on a non-working day.
"""

from collections import defaultdict
from datetime import datetime

from django.utils import timezone

from motcua.calendar.services import calendar_for_agency, get_calendar, to_aware, to_local_naive
from motcua.notify import outbox
from motcua.org.models import User
from motcua.org.roles import Role
from motcua.org.selectors import holders_of

from . import workflow
from .models import Feedback


def _fmt(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y")


def _holders(roles, agency) -> list[User]:
    """Active users holding any of `roles` at `agency` (or above); at a top-level unit when `agency` is None."""
    if agency is None:
        qs = User.objects.filter(is_active=True, role_assignments__role__in=list(roles),
                                 role_assignments__agency__parent__isnull=True)
        return [u for u in qs.distinct() if not u.is_system]
    found = {}
    for role in roles:
        for user in holders_of(role, agency):
            found[user.pk] = user
    return [u for u in found.values() if not u.is_system]  # accounts of other systems read no e-mail


def _send(user, kind: str, day, subject: str, lines: list[str]) -> bool:
    if not user.email or not lines:
        return False
    outbox.enqueue(
        channel="email", recipient=user.email, key=f"feedback-watch:{day:%Y%m%d}:{kind}:{user.pk}",
        subject=subject, body="\n".join(lines), payload={"watch": f"feedback_{kind}", "count": len(lines)},
    )
    return True


def _line(item: Feedback, note: str) -> str:
    unit = item.agency.name if item.agency else "chưa có đơn vị xử lý"
    return f"- {item.code} ({item.get_kind_display()}; {unit}; {item.get_state_display()}): {note}"


def run(now: datetime | None = None) -> dict[str, int]:
    """One morning's watch of feedback answers; returns how many e-mails were queued of each kind."""
    now = now or timezone.now()
    day = to_local_naive(now).date()
    counts = {"reminders": 0, "escalations": 0}
    if not get_calendar().is_working_day(day):
        return counts
    horizons = {}  # per office schedule: the end of the next working day
    reminders, escalations = defaultdict(list), defaultdict(list)
    people = {}
    items = Feedback.objects.filter(state__in=list(workflow.OPEN_STATES), due_at__isnull=False).select_related(
        "agency", "assignee"
    ).order_by("due_at", "pk")
    for item in items:
        if item.due_at < now:
            line = _line(item, f"quá hạn trả lời từ {_fmt(item.due_at)}")
            for head in _holders([Role.HEAD_OF_AGENCY], item.agency):
                people[head.pk] = head
                escalations[head.pk].append(line)
            continue
        schedule = item.agency.office_hours if item.agency else None
        if schedule not in horizons:
            calendar = calendar_for_agency(item.agency)
            horizons[schedule] = to_aware(calendar.end_of_working_day(calendar.next_working_day(day)))
        if item.due_at > horizons[schedule]:
            continue
        line = _line(item, f"hạn trả lời {_fmt(item.due_at)}")
        if item.assignee is not None and item.assignee.is_active:
            recipients = [item.assignee]
        else:
            recipients = _holders(workflow.DISPATCHERS, item.agency)
        for user in recipients:
            people[user.pk] = user
            reminders[user.pk].append(line)
    for pk, lines in reminders.items():
        counts["reminders"] += _send(people[pk], "due_soon", day,
                                     f"Phản ánh, kiến nghị sắp đến hạn trả lời ({len(lines)})", lines)
    for pk, lines in escalations.items():
        counts["escalations"] += _send(people[pk], "overdue", day,
                                       f"Phản ánh, kiến nghị quá hạn chưa trả lời ({len(lines)})", lines)
    return counts
