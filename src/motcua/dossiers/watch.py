"""The deadline watch, run each working morning by the worker (dossiers/tasks.py).

- Due soon: every handler gets the list of dossiers whose open step or promised date falls within the
  next working day.
- Overdue: the head of the competent agency gets the dossiers past their promised date.
- Apologies owed: a dossier due within one working day, with no result and no apology yet, gets an apology
  draft (form 04) for its unit, proposing a new date; the head issues it (or not) from the desk.
- Supplement windows run out: the officer who asked is told the citizen's time is over and processing
  may be stopped.
- Verification requests to another agency: its specialists are reminded when the answer is due within a
  working day; once it is late, its head is told (escalation), every working morning until it answers.
Every notice goes through the outbox with a key per day, so a second run the same day sends nothing new.
"""

from collections import defaultdict
from datetime import datetime

from django.utils import timezone

from motcua.calendar.services import get_calendar, to_aware, to_local_naive
from motcua.notify import outbox
from motcua.org.roles import Role
from motcua.org.selectors import holders_of

from . import workflow
from .models import ApologyDraft, Dossier, Pause, StepRecord


def _fmt(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y")


def _send(user, kind: str, day, subject: str, lines: list[str]) -> bool:
    if not user.email or not lines:
        return False
    outbox.enqueue(
        channel="email", recipient=user.email, key=f"watch:{day:%Y%m%d}:{kind}:{user.pk}", subject=subject,
        body="\n".join(lines), payload={"watch": kind, "count": len(lines)},
    )
    return True


def run(now: datetime | None = None, apology_extension_days: int = 3) -> dict[str, int]:
    """One morning's watch; returns what it did. Nothing on a non-working day."""
    now = now or timezone.now()
    calendar = get_calendar()
    local_now = to_local_naive(now)
    day = local_now.date()
    if not calendar.is_working_day(day):
        return {"due_soon": 0, "overdue": 0, "apology_drafts": 0, "supplement_expired": 0,
                "verification_reminders": 0, "verification_escalations": 0}
    horizon = to_aware(calendar.add_working_days(calendar.next_working_time(local_now), 1))
    counts = defaultdict(int)

    # Due soon, per handler of the open step.
    per_user = defaultdict(list)
    open_steps = StepRecord.objects.filter(
        ended_at__isnull=True, due_at__lte=horizon, dossier__state__in=workflow.CLOCK_RUNNING_STATES
    ).select_related("dossier", "agency")
    for step in open_steps:
        for user in holders_of(step.role, step.agency):
            per_user[user].append(f"- {step.dossier.code}: bước “{step.name}”, hạn {_fmt(step.due_at)}")
    for user, lines in per_user.items():
        counts["due_soon"] += _send(user, "due_soon", day, f"Hồ sơ sắp đến hạn ({len(lines)})", lines)

    # Overdue, to the head of the competent agency.
    per_head = defaultdict(list)
    for d in Dossier.objects.filter(state__in=workflow.CLOCK_RUNNING_STATES, due_at__lt=now).select_related("competent_agency"):
        for head in holders_of(Role.HEAD_OF_AGENCY, d.competent_agency):
            per_head[head].append(f"- {d.code} ({d.applicant_name}): quá hạn từ {_fmt(d.due_at)}")
    for head, lines in per_head.items():
        counts["overdue"] += _send(head, "overdue", day, f"Hồ sơ quá hạn ({len(lines)})", lines)

    # Apologies owed: due within one working day, no result, no apology, no draft yet.
    owed = Dossier.objects.filter(
        state__in=workflow.CLOCK_RUNNING_STATES, due_at__gte=now, due_at__lte=horizon, apologised_at__isnull=True,
        apology_draft__isnull=True,
    )
    for d in owed:
        proposed = to_aware(calendar.add_working_days(to_local_naive(d.due_at), apology_extension_days))
        ApologyDraft.objects.create(
            dossier=d,
            proposed_due_at=proposed,
            text=(
                f"Hồ sơ {d.code} của ông/bà {d.applicant_name}, tiếp nhận lúc {_fmt(d.received_at)}, hẹn trả "
                f"{_fmt(d.due_at)}, chưa thể trả kết quả đúng hẹn vì: [nêu lý do]. Chúng tôi thành thật xin lỗi "
                f"ông/bà và hẹn trả kết quả vào {_fmt(proposed)}."
            ),
        )
        counts["apology_drafts"] += 1

    # Supplement windows that have run out.
    for pause in Pause.objects.filter(
        kind=Pause.Kind.SUPPLEMENT, ended_at__isnull=True, answer_due_at__lt=now
    ).select_related("dossier__competent_agency"):
        for user in holders_of(Role.SPECIALIST, pause.dossier.competent_agency):
            counts["supplement_expired"] += _send(
                user, f"supplement:{pause.pk}", day, f"Hết hạn bổ sung: hồ sơ {pause.dossier.code}",
                [f"Người nộp chưa bổ sung hồ sơ {pause.dossier.code} trong thời hạn (đến {_fmt(pause.answer_due_at)}).",
                 "Đề nghị trình lãnh đạo dừng xử lý hồ sơ (thao tác “Dừng xử lý hồ sơ”)."],
            )

    # Verification requests the asked agency has not answered: reminders, then escalation to its head.
    reminders, escalations = defaultdict(list), defaultdict(list)
    for pause in Pause.objects.filter(
        kind=Pause.Kind.VERIFICATION, ended_at__isnull=True, answer_due_at__lte=horizon, agency__isnull=False,
        dossier__state=workflow.State.AWAITING_VERIFICATION,
    ).select_related("dossier__competent_agency", "agency"):
        line = (f"- {pause.dossier.code}: {pause.dossier.competent_agency} đề nghị xác minh, "
                f"hạn trả lời {_fmt(pause.answer_due_at)}")
        if pause.answer_due_at < now:
            for head in holders_of(Role.HEAD_OF_AGENCY, pause.agency):
                escalations[head].append(line + " (đã quá hạn)")
        else:
            for user in holders_of(Role.SPECIALIST, pause.agency):
                reminders[user].append(line)
    for user, lines in reminders.items():
        counts["verification_reminders"] += _send(
            user, "verification_due", day, f"Đề nghị xác minh sắp đến hạn trả lời ({len(lines)})", lines)
    for head, lines in escalations.items():
        counts["verification_escalations"] += _send(
            head, "verification_late", day, f"Đề nghị xác minh quá hạn chưa trả lời ({len(lines)})", lines)
    return dict(counts)
