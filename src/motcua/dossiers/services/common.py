"""What every move of a dossier shares: who the actor is and may do, text checks, the lock, idempotency keys,
the event (written by the workflow kernel), steps, pauses and the due time."""

from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from motcua import fields
from motcua.calendar.services import calendar_for_agency, local_zone
from motcua.org.models import Agency
from motcua.org.roles import Role
from motcua.org.selectors import roles_at, roles_at_each
from motcua.workflow import events

from .. import deadlines, workflow
from ..models import (
    Dossier,
    DossierEvent,
    IdempotencyRecord,
    Pause,
    State,
    StepRecord,
)
from .errors import MAX_TEXT, Applicant, DossierError, Forbidden, IdempotencyConflict, NotFound


def _actor_key(actor) -> str:
    if isinstance(actor, Applicant):
        return f"applicant:{actor.personal_id or actor.name}"
    return f"user:{actor.pk}" if actor is not None else "system"


def _actor_name(actor) -> str:
    if actor is None:
        return "Hệ thống"
    return str(actor)


def _as_user(actor):
    """The staff user behind an actor, for the columns that point at users (None for the system and the
    applicant, who are named in the event instead)."""
    return None if actor is None or isinstance(actor, Applicant) else actor


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _iso(moment):
    # Local time (+07:00) in event data: people read the history.
    return moment.astimezone(local_zone()).isoformat() if moment is not None else None


def _text(data: dict, name: str, label: str, *, required: bool = True, max_length: int = MAX_TEXT,
          kind=fields.text) -> str:
    """A text field of the data, checked by the shared field type `kind` (fields.text: line breaks allowed;
    fields.person_name, fields.address: one line)."""
    value = data.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise DossierError(f"Cần nhập {label}.", code="missing_field", field=name)
        return ""
    options = {"multiline": True} if kind is fields.text else {}
    try:
        return kind(value, label, max_length=max_length, required=required, field=name, **options)
    except fields.FieldError as exc:
        code = "too_long" if "vượt quá" in exc.message else "invalid"
        raise DossierError(exc.message, code=code, field=name) from exc


def _items(data: dict) -> list[dict]:
    """Every missing or defective item with its reason, all at once (hướng dẫn một lần, đầy đủ)."""
    items = data.get("items")
    if not isinstance(items, list) or not items:
        raise DossierError(
            "Cần liệt kê đầy đủ các giấy tờ phải bổ sung, mỗi mục kèm lý do, trong một lần yêu cầu.",
            code="missing_field",
            field="items",
        )
    cleaned = []
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise DossierError(f"Mục {i} phải gồm tên giấy tờ và lý do.", field="items")
        name = _text(item, "name", f"tên giấy tờ ở mục {i}", max_length=400)
        reason = _text(item, "reason", f"lý do ở mục {i}", max_length=1000)
        cleaned.append({"name": name, "reason": reason})
    return cleaned


def _working_days(data: dict, name: str, label: str) -> Decimal | None:
    value = data.get(name)
    if value in (None, ""):
        return None
    try:
        days = Decimal(str(value))
    except ArithmeticError as exc:
        raise DossierError(f"{label} phải là một số ngày làm việc.", field=name) from exc
    if days <= 0 or days > 365:
        raise DossierError(f"{label} phải lớn hơn 0 và không quá 365 ngày làm việc.", field=name)
    return days


def _lock(dossier_or_id) -> Dossier:
    pk = dossier_or_id.pk if isinstance(dossier_or_id, Dossier) else dossier_or_id
    try:
        return Dossier.objects.select_for_update().select_related("case", "receiving_agency", "competent_agency").get(pk=pk)
    except Dossier.DoesNotExist as exc:
        raise NotFound("Không tìm thấy hồ sơ.") from exc


def _held_roles(actor, dossier: Dossier) -> set[str]:
    """Roles that count for this dossier: reception roles where it was received, the others where it is decided."""
    at_reception, at_authority = roles_at_each(actor, [dossier.receiving_agency, dossier.competent_agency])
    return (at_reception & workflow.RECEPTION_ROLES) | (at_authority - workflow.RECEPTION_ROLES)


# The agency asked to verify answers itself (its staff see the dossier while the request is open).
VERIFIER_ACTIONS = frozenset({"answer_verification"})


def _verifier_roles(actor, dossier: Dossier) -> set[str]:
    """Processing roles the actor holds at the agency an open verification request names."""
    if dossier.state != State.AWAITING_VERIFICATION:
        return set()
    pause = dossier.pauses.filter(ended_at__isnull=True, kind=Pause.Kind.VERIFICATION).select_related("agency").first()
    if pause is None or pause.agency is None:
        return set()
    return roles_at(actor, pause.agency) - workflow.RECEPTION_ROLES


def _roles_for(actor, dossier: Dossier, transition: workflow.Transition, held: set[str] | None = None) -> set[str]:
    held = _held_roles(actor, dossier) if held is None else held
    if transition.action in VERIFIER_ACTIONS:
        return held | _verifier_roles(actor, dossier)
    return held


# Moves made by the owner of the step in progress (when that owner's role may make them at all).
STEP_OWNER_ACTIONS = frozenset({"forward", "finish"})


def _step_role_missing(dossier: Dossier, transition: workflow.Transition, held: set[str]) -> StepRecord | None:
    """The open step, when the move is its owner's to make and the actor lacks the owner's role."""
    if transition.action not in STEP_OWNER_ACTIONS:
        return None
    step = _open_step(dossier)
    if step and step.role and step.role in transition.roles and step.role not in held:
        return step
    return None


def _check_actor(actor, dossier: Dossier, transition: workflow.Transition) -> None:
    if isinstance(actor, Applicant):
        if workflow.APPLICANT not in transition.roles:
            raise Forbidden(f"Người nộp hồ sơ không tự thực hiện được việc '{transition.label}'.")
        return
    if actor is None or actor.is_superuser:
        return  # the system itself (commands, tasks) or a superuser
    held = _roles_for(actor, dossier, transition)
    if not (transition.roles & held):
        reception = sorted(str(Role(r).label) for r in transition.roles & workflow.RECEPTION_ROLES)
        authority = sorted(str(Role(r).label) for r in transition.roles - workflow.RECEPTION_ROLES if r in Role.values)
        where = []
        if reception:
            where.append(f"{', '.join(reception)} tại {dossier.receiving_agency}")
        if authority:
            where.append(f"{', '.join(authority)} tại {dossier.competent_agency}")
        raise Forbidden(
            f"Tài khoản {actor} không được '{transition.label}' với hồ sơ này. "
            f"Cần vai trò {'; hoặc '.join(where)}. Hãy đề nghị quản trị đơn vị cấp quyền."
        )
    step = _step_role_missing(dossier, transition, held)
    if step:
        raise Forbidden(
            f"Bước hiện tại '{step.name}' do {Role(step.role).label} thực hiện; tài khoản {actor} không có vai trò này."
        )


def _remember_key(actor, key: str | None, action: str, dossier_id: int | None = None) -> Dossier | None:
    if not key:
        return None
    if len(key) > 100:
        raise DossierError("Khóa chống trùng (Idempotency-Key) dài tối đa 100 ký tự.", field="idempotency_key")
    record = IdempotencyRecord.objects.filter(actor_key=_actor_key(actor), key=key).select_related("dossier").first()
    if record is None:
        return None
    if record.action != action or (dossier_id is not None and record.dossier_id != dossier_id):
        used = workflow.get(record.action)
        raise IdempotencyConflict(
            f"Khóa chống trùng '{key}' đã được dùng cho '{used.label if used else record.action}' "
            f"trên hồ sơ {record.dossier.code}; mỗi yêu cầu mới cần một khóa mới."
        )
    return record.dossier


def _store_key(actor, key: str | None, action: str, dossier: Dossier) -> None:
    if key:
        IdempotencyRecord.objects.create(actor_key=_actor_key(actor), key=key, action=action, dossier=dossier)


def _append_event(dossier, action, from_state, actor, now, reason="", data=None) -> DossierEvent:
    """The one way a dossier event is written (the kernel numbers and chains it); facts follow."""
    event = events.append(dossier, DossierEvent(
        dossier=dossier, action=action, from_state=from_state, to_state=dossier.state, actor=_as_user(actor),
        actor_name=_actor_name(actor), at=now, reason=reason, data=data or {}, due_at=dossier.due_at,
    ))
    events.announce("dossier", events.RECORDED, dossier, event)  # the report facts (reports/apps.py)
    return event


def _open_step(dossier) -> StepRecord | None:
    return dossier.steps.filter(ended_at__isnull=True).order_by("-order").first()


def _open_pause(dossier) -> Pause | None:
    return dossier.pauses.filter(ended_at__isnull=True).first()


def _calendar(dossier):
    """The receiving unit's calendar: the promised date is the one-stop unit's promise."""
    return calendar_for_agency(dossier.receiving_agency)


def _last_processing_step(case) -> int:
    """The last step before the result is ready: a final step owned by the one-stop unit (handing the
    result back) runs after "finish", not before it."""
    orders = list(case.steps.order_by("order").values_list("order", "role"))
    if orders and orders[-1][1] in workflow.RECEPTION_ROLES and len(orders) > 1:
        return orders[-2][0]
    return orders[-1][0] if orders else 0


def step_agency(dossier: Dossier, role: str) -> Agency:
    """Where a step with this role is done: reception roles where the dossier was received, others where decided."""
    return dossier.receiving_agency if role in workflow.RECEPTION_ROLES else dossier.competent_agency


def _start_step(dossier, order: int, now, actor, assignee=None) -> StepRecord | None:
    step_def = dossier.case.steps.filter(order=order).first()
    if step_def is None:
        return None
    agency = step_agency(dossier, step_def.role)
    return StepRecord.objects.create(
        dossier=dossier,
        order=order,
        name=step_def.name,
        role=step_def.role,
        agency=agency,
        budget_hours=step_def.budget_hours,
        started_at=now,
        # Each step on the calendar of the unit that does it.
        due_at=deadlines.step_due(calendar_for_agency(agency), now, step_def.budget_hours),
        received_by=_as_user(actor),
        assignee=assignee,
    )


def _close_step(dossier, now, actor) -> StepRecord | None:
    step = _open_step(dossier)
    if step is None:
        return None
    step.ended_at = now
    step.handed_over_by = _as_user(actor)
    result = deadlines.timing(now, step.due_at)
    step.timing = result.value if result else ""
    step.save(update_fields=["ended_at", "handed_over_by", "timing"])
    return step


def _close_pause(dossier, now, answer: dict) -> Pause:
    pause = _open_pause(dossier)
    if pause is None:  # the table guarantees a pause in paused states; a missing one is our bug
        raise DossierError("Không tìm thấy yêu cầu đang chờ của hồ sơ.", code="inconsistent")
    pause.ended_at = now
    pause.answer = answer
    pause.save(update_fields=["ended_at", "answer"])
    # The step in progress gets the paused working time back too.
    step = _open_step(dossier)
    if step is not None and step.budget_hours is not None:
        step.due_at = deadlines.step_due(
            calendar_for_agency(step.agency), step.started_at, step.budget_hours, list(dossier.pauses.all())
        )
        step.save(update_fields=["due_at"])
    return pause


def _recompute_due(dossier) -> None:
    if dossier.received_at is None:
        dossier.due_at = None
        return
    dossier.due_at = deadlines.due_time(_calendar(dossier), dossier, dossier.case, list(dossier.pauses.all()))


# ---------------------------------------------------------------- creation (the "submit" action)
