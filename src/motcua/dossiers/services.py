"""The only functions that change a dossier's state.

Each one, in one transaction: lock the dossier row, check the transition table (state and the actor's
roles), validate the data, change the dossier, append a DossierEvent, recompute the due time and the step
due times, and remember the idempotency key. An illegal move or bad data raises a DossierError with a
Vietnamese message that says what to fix; nothing is written then.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from motcua import fields
from motcua.calendar.services import calendar_for_agency, local_zone, to_aware, to_local_naive
from motcua.catalog.models import Case, FeeLine, OnlineLevel
from motcua.notify.services import on_dossier_event
from motcua.org.models import Agency
from motcua.org.roles import Role
from motcua.org.selectors import roles_at, roles_at_each
from motcua.reports import facts
from motcua.workflow import events

from . import codes, deadlines, workflow
from .models import (
    ApplicantKind,
    Channel,
    Dossier,
    DossierComponent,
    DossierEvent,
    DossierFee,
    IdempotencyRecord,
    Pause,
    ReturnMethod,
    State,
    StepRecord,
)

MAX_TEXT = 2000


class DossierError(Exception):
    """A refusal a person can act on. `status` is the HTTP status the API answers with."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


class NotFound(DossierError):
    status = 404
    code = "not_found"


class Forbidden(DossierError):
    status = 403
    code = "forbidden"


class NotAllowed(DossierError):
    status = 409
    code = "transition_not_allowed"


class IdempotencyConflict(DossierError):
    status = 409
    code = "idempotency_conflict"


@dataclass(frozen=True)
class Outcome:
    dossier: Dossier
    repeated: bool  # True when an idempotency key made this a repeat of an earlier call
    # create_dossier: the rows a new dossier was written with ("events", "components", "fees", "steps",
    # "pauses"), so that an answer can show them without reading them back. None otherwise.
    written: dict[str, list] | None = None


# ---------------------------------------------------------------- helpers


@dataclass(frozen=True)
class Applicant:
    """The dossier's own applicant (người nộp) acting through the citizen portal. Not a staff user: it may
    make only the moves the transition table gives to the applicant, and the history names him."""

    name: str
    personal_id: str = ""
    is_superuser = False
    is_authenticated = False
    pk = None

    def __str__(self):
        return f"{self.name} (người nộp hồ sơ)"


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
    facts.record_event(dossier)
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


def _clean_applicant(applicant: dict, today) -> dict:
    kind = applicant.get("kind", ApplicantKind.CITIZEN)
    if kind not in ApplicantKind.values:
        raise DossierError("Loại người nộp phải là 'citizen' (công dân) hoặc 'organisation' (tổ chức).", field="applicant.kind")
    name = _text(applicant, "name", "họ tên chủ hồ sơ", max_length=200,
                 kind=fields.person_name if kind == ApplicantKind.CITIZEN else fields.address)
    out = {"applicant_kind": kind, "applicant_name": name}
    try:
        if kind == ApplicantKind.CITIZEN:
            birth_date = applicant.get("birth_date")
            if applicant.get("personal_id"):
                out["personal_id"] = fields.personal_id(applicant["personal_id"], birth_date=birth_date, today=today)
            elif applicant.get("old_id_number"):
                out["old_id_number"] = fields.old_id(applicant["old_id_number"])
            else:
                raise DossierError(
                    "Cần số định danh cá nhân 12 chữ số của chủ hồ sơ (hoặc số CMND 9 chữ số trong hồ sơ cũ).",
                    code="missing_field",
                    field="applicant.personal_id",
                )
            out["birth_date"] = birth_date
        else:
            out["tax_code"] = fields.tax_code(applicant.get("tax_code", ""))
        if applicant.get("representative_id"):
            out["representative_id"] = fields.personal_id(applicant["representative_id"], today=today)
        out["phone"] = fields.phone(applicant["phone"], field="applicant.phone") if applicant.get("phone") else ""
    except fields.FieldError as exc:
        raise DossierError(exc.message, code="invalid_identifier", field=exc.field or "applicant") from exc
    out["representative_name"] = _text(applicant, "representative_name", "tên người nộp thay", required=False,
                                       max_length=200, kind=fields.person_name)
    out["email"] = _text(applicant, "email", "thư điện tử", required=False, max_length=254, kind=fields.address)
    out["address"] = _text(applicant, "address", "địa chỉ", required=False, max_length=300, kind=fields.address)
    return out


def _check_agency(agency: Agency | None, label: str, day) -> Agency:
    if agency is None:
        raise DossierError(f"Cần chọn {label}.", code="missing_field")
    if day < agency.valid_from:
        raise DossierError(f"{agency} chưa có hiệu lực; bắt đầu hoạt động từ ngày {agency.valid_from:%d/%m/%Y}.", code="agency_inactive")
    if agency.valid_to is not None and day > agency.valid_to:
        successor = f"; hãy dùng {agency.succeeded_by}" if agency.succeeded_by else ""
        raise DossierError(f"{agency} đã hết hiệu lực sau ngày {agency.valid_to:%d/%m/%Y}{successor}.", code="agency_inactive")
    return agency


def _component_rows(dossier: Dossier, case: Case, given: list[dict] | None) -> list[DossierComponent]:
    by_id = {c.pk: c for c in case.components.all()}
    flags = {}
    for i, item in enumerate(given or [], start=1):
        cid = item.get("component")
        if cid not in by_id:
            raise DossierError(f"Thành phần hồ sơ thứ {i} (mã {cid}) không thuộc trường hợp đã chọn.", field="components")
        flags[cid] = item
    rows = []
    for comp in by_id.values():
        item = flags.get(comp.pk, {})
        counts = {name: _count(item, name, label, getattr(comp, name)) for name, label in COPY_COUNTS.items()}
        rows.append(
            DossierComponent(
                dossier=dossier,
                component=comp,
                name=comp.name,
                **counts,
                provided=bool(item.get("provided", given is None or comp.pk in flags)),
                digitised=bool(item.get("digitised", False)),
                reused=bool(item.get("reused", False)),
                from_national_data=bool(item.get("from_national_data", False)) and comp.national_data,
            )
        )
    return rows


COPY_COUNTS = {"originals": "số bản chính", "certified_copies": "số bản sao chứng thực", "photocopies": "số bản photo"}


def _count(item: dict, name: str, label: str, default: int) -> int:
    """A number of copies handed in (the catalog's number when not given)."""
    value = item.get(name)
    if value in (None, ""):
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 99:
        raise DossierError(f"{label.capitalize()} phải là số nguyên từ 0 đến 99.", field="components")
    return value


def _fee_rows(dossier: Dossier, case: Case, given: list[dict] | None, online: bool, now) -> list[DossierFee]:
    """The case's fee lines; the officer may record the collection mode and that a fee was paid at the counter."""
    lines = {f.pk: f for f in case.fees.all()}
    choices = {}
    for i, item in enumerate(given or [], start=1):
        if item.get("fee_line") not in lines:
            raise DossierError(f"Khoản phí thứ {i} không thuộc trường hợp đã chọn.", field="fees")
        mode = item.get("mode") or lines[item["fee_line"]].mode
        if mode not in FeeLine.Mode.values:
            raise DossierError(f"Hình thức thu của khoản phí thứ {i} không hợp lệ.", field="fees")
        choices[item["fee_line"]] = (mode, bool(item.get("paid")) and mode in (FeeLine.Mode.PREPAID, FeeLine.Mode.POSTPAID))
    rows = []
    for f in lines.values():
        mode, paid = choices.get(f.pk, (f.mode, False))
        rows.append(
            DossierFee(
                dossier=dossier, fee_line=f, kind=f.kind, name=f.name, amount=f.amount_for(online), mode=mode,
                paid_at=now if paid else None, payment_channel="counter_cash" if paid else "",
            )
        )
    return rows


@transaction.atomic
def create_dossier(
    *,
    actor,
    case: Case,
    channel: int,
    receiving_agency: Agency,
    competent_agency: Agency | None = None,
    support_agency: Agency | None = None,
    applicant: dict,
    components: list[dict] | None = None,
    fees: list[dict] | None = None,
    return_method: str = ReturnMethod.COUNTER,
    summary: str = "",
    address_unit=None,
    identity_verified: bool = False,
    population_verified: bool = False,
    notify: list[str] | None = None,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Outcome:
    """Create a dossier and submit it (action "submit": draft → submitted), with its code, papers and fees.

    Refused: an unknown channel, a procedure version not in force, online submission of a procedure not
    offered online, an inactive agency, a malformed personal ID or tax code, over-long text, components
    not of the case, an actor without a submitting role at the receiving agency. A repeated idempotency
    key returns the dossier created the first time.
    """
    now = _now(now)
    today = timezone.localtime(now).date()
    repeated = _remember_key(actor, idempotency_key, "submit")
    if repeated is not None:
        return Outcome(repeated, True)
    if channel not in Channel.values:
        raise DossierError("Kênh nộp phải là 1 (trực tiếp), 2 (trực tuyến) hoặc 3 (bưu chính công ích).", field="channel")
    if not case.version.__class__.objects.in_force(today).filter(pk=case.version_id).exists():
        raise DossierError(
            f"Phiên bản {case.version.number} của thủ tục {case.version.procedure.code} không có hiệu lực ngày {today:%d/%m/%Y}.",
            code="version_not_in_force",
        )
    if channel == Channel.ONLINE and case.online_level == OnlineLevel.NONE:
        raise DossierError("Thủ tục này không được cung cấp trực tuyến; hãy nộp trực tiếp hoặc qua bưu chính.", field="channel")
    if return_method not in ReturnMethod.values:
        raise DossierError("Hình thức nhận kết quả phải là counter, post hoặc electronic.", field="return_method")
    receiving_agency = _check_agency(receiving_agency, "đơn vị tiếp nhận", today)
    competent_agency = _check_agency(competent_agency or receiving_agency, "cơ quan giải quyết", today)
    if support_agency is not None:
        _check_agency(support_agency, "nơi hỗ trợ", today)
    fields = _clean_applicant(applicant, today)
    summary = _text({"summary": summary}, "summary", "trích yếu", required=False, max_length=1000)

    dossier = Dossier(
        channel=channel,
        state=State.DRAFT,
        procedure_version=case.version,
        case=case,
        summary=summary or case.version.procedure.name,
        return_method=return_method,
        receiving_agency=receiving_agency,
        competent_agency=competent_agency,
        support_agency=support_agency,
        address_unit=address_unit,
        identity_verified=identity_verified,
        population_verified=population_verified,
        created_by=_as_user(actor),
        **fields,
    )
    if notify is not None:  # the applicant's choice; by default every channel they gave contacts for
        unknown = set(notify) - {"sms", "email", "zalo"}
        if unknown:
            raise DossierError(f"Kênh nhận thông báo không hợp lệ: {', '.join(sorted(unknown))}.", field="notify")
        dossier.notify_sms, dossier.notify_email, dossier.notify_zalo = ("sms" in notify, "email" in notify, "zalo" in notify)
    transition = workflow.get("submit")
    _check_actor(actor, dossier, transition)
    try:
        # The related rows were passed in as loaded objects: no query to check that they exist.
        dossier.full_clean(exclude=["code", "procedure_version", "case", "receiving_agency", "competent_agency",
                                    "support_agency", "address_unit", "created_by"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DossierError(f"{Dossier._meta.get_field(field).verbose_name}: {' '.join(messages)}", field=field) from exc

    # The day's number is taken last (see below); until then the row carries a code no one else can hold.
    dossier.code = f"~{uuid.uuid4().hex}"
    dossier.state = transition.target
    dossier.national_status = workflow.national_status(dossier.state)
    dossier.submitted_at = now
    dossier.save()
    papers = DossierComponent.objects.bulk_create(_component_rows(dossier, case, components))
    fee_rows = DossierFee.objects.bulk_create(_fee_rows(dossier, case, fees, channel == Channel.ONLINE, now))
    event = _append_event(
        dossier,
        "submit",
        State.DRAFT,
        actor,
        now,
        data={"channel": channel, "procedure": case.version.procedure.code, "version": case.version.number, "case": case.code},
    )
    try:
        with transaction.atomic():
            _store_key(actor, idempotency_key, "submit", dossier)
    except IntegrityError:
        # The same key arrived twice at once and the other call won: give its dossier back, write nothing.
        # (Read it before marking the transaction for rollback: no query may follow that.)
        winner = IdempotencyRecord.objects.select_related("dossier").get(actor_key=_actor_key(actor), key=idempotency_key)
        transaction.set_rollback(True)
        return Outcome(winner.dossier, True)
    # The agency's day counter stays locked from here to the caller's commit, and every submission to that
    # agency waits for it: so it comes after everything that does not need the code (only the messages do).
    # Callers that do more in the same transaction (the desk, online applications) hold it through that.
    dossier.code = codes.new_code(receiving_agency, today)
    dossier.save(update_fields=["code", "last_event_seq", "audit_head"])
    on_dossier_event(dossier, "submit", dossier.last_event_seq, {})
    return Outcome(dossier, False, {"events": [event], "components": papers, "fees": fee_rows, "steps": [], "pauses": []})


# ---------------------------------------------------------------- transitions


def _apply_receive(d: Dossier, data: dict, now, actor) -> dict:
    if data.get("components") is not None:
        given = {c.get("component"): c for c in data["components"] if isinstance(c, dict)}
        rows = {c.component_id: c for c in d.components.all()}
        for cid, item in given.items():
            if cid not in rows:
                raise DossierError(f"Thành phần hồ sơ mã {cid} không thuộc hồ sơ này.", field="components")
            row = rows[cid]
            for flag in ("provided", "digitised", "reused", "from_national_data"):
                if flag in item:
                    setattr(row, flag, bool(item[flag]))
            row.save()
    missing = [
        c.name
        for c in d.components.select_related("component")
        if c.component and c.component.required and not (c.provided or c.from_national_data)
    ]
    if missing:
        raise DossierError(
            "Hồ sơ còn thiếu: " + "; ".join(missing) + ". Hãy yêu cầu bổ sung, hoàn thiện (Mẫu 02) thay vì tiếp nhận.",
            code="incomplete",
        )
    d.received_at = now
    d.current_step = 1
    _start_step(d, 1, now, actor)
    return {}


def _apply_request_completion(d, data, now, actor):
    return {"items": _items(data)}


def _apply_complete(d, now):
    # The complete dossier counts as submitted now (the clock starts from a complete, valid dossier).
    previous, d.submitted_at = d.submitted_at, now
    return {"first_submitted_at": _iso(previous)}


def _apply_refuse(d, data, now, actor):
    d.closed_at = now
    return {}


def _apply_forward(d, data, now, actor):
    last = _last_processing_step(d.case)
    if last and d.current_step >= last:
        raise NotAllowed(
            "Hồ sơ đang ở bước xử lý cuối cùng; hãy dùng thao tác 'Hoàn thành, có kết quả'.", code="last_step"
        )
    assignee = _assignee(d, d.current_step + 1, data.get("assignee"))
    closed = _close_step(d, now, actor)
    d.current_step += 1
    nxt = _start_step(d, d.current_step, now, actor, assignee=assignee)
    out = {
        "from_step": closed.order if closed else None,
        "to_step": d.current_step,
        "to_step_name": nxt.name if nxt else "",
        "timing": closed.timing if closed else "",
    }
    if assignee is not None:
        out["assignee"] = str(assignee)
    return out


def step_agency(dossier: Dossier, role: str) -> Agency:
    """Where a step with this role is done: reception roles where the dossier was received, others where decided."""
    return dossier.receiving_agency if role in workflow.RECEPTION_ROLES else dossier.competent_agency


def _assignee(d: Dossier, order: int, raw):
    """The person the next step goes to (optional): someone who holds that step's role where it is done."""
    if raw in (None, ""):
        return None
    from motcua.org.selectors import holders_of

    step_def = d.case.steps.filter(order=order).first()
    if step_def is None:
        raise DossierError("Bước tiếp theo không có trong quy trình nên không giao cho người cụ thể được.", field="assignee")
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        raise DossierError("Người nhận xử lý bước tiếp theo không hợp lệ.", field="assignee") from None
    user = holders_of(step_def.role, step_agency(d, step_def.role)).filter(pk=pk).first()
    if user is None:
        raise DossierError(
            f"Người được chọn không có vai trò {Role(step_def.role).label} tại "
            f"{step_agency(d, step_def.role)} để thực hiện bước '{step_def.name}'.",
            field="assignee",
        )
    return user


def _start_pause(d, kind, now, request: dict, agency=None, answer_days=None) -> Pause:
    answer_due = None
    if answer_days:
        answer_due = to_aware(_calendar(d).add_working_days(to_local_naive(now), answer_days))
        request = request | {"answer_days": str(answer_days)}  # kept so a calendar change can recompute it
    return Pause.objects.create(
        dossier=d, kind=kind, started_at=now, request=request, agency=agency, answer_due_at=answer_due
    )


def _apply_request_supplement(d, data, now, actor):
    items = _items(data)
    days = _working_days(data, "answer_days", "Thời hạn bổ sung")
    pause = _start_pause(d, Pause.Kind.SUPPLEMENT, now, {"items": items}, answer_days=days)
    return {"items": items, "answer_due_at": _iso(pause.answer_due_at)}


def _apply_supply_supplement(d, data, now, actor):
    note = _text(data, "note", "ghi chú", required=False)
    pause = _close_pause(d, now, {"note": note})
    return {"paused_from": _iso(pause.started_at)}


def _apply_request_verification(d, data, now, actor):
    code = _text(data, "agency", "mã định danh cơ quan được đề nghị xác minh", max_length=40)
    agency = Agency.objects.filter(identifier_code=code.upper()).first()
    if agency is None:
        raise DossierError(f"Không có cơ quan mang mã định danh '{code}'.", field="agency")
    _check_agency(agency, "cơ quan được đề nghị xác minh", timezone.localtime(now).date())
    question = _text(data, "question", "nội dung cần xác minh")
    days = _working_days(data, "answer_days", "Thời hạn trả lời xác minh") or Decimal(5)
    pause = _start_pause(d, Pause.Kind.VERIFICATION, now, {"question": question}, agency=agency, answer_days=days)
    return {"agency": agency.identifier_code, "question": question, "answer_due_at": _iso(pause.answer_due_at)}


def _apply_answer_verification(d, data, now, actor):
    answer = _text(data, "answer", "kết quả xác minh")
    _close_pause(d, now, {"answer": answer})
    return {"answer": answer}


def _apply_request_payment(d, data, now, actor):
    try:
        amount = fields.money(data.get("amount"), field="amount")
    except fields.FieldError as exc:
        raise DossierError(exc.message, field="amount") from exc
    description = _text(data, "description", "nội dung khoản phải nộp", required=False, max_length=300)
    _start_pause(d, Pause.Kind.PAYMENT, now, {"amount": amount, "description": description})
    return {"amount": amount, "description": description}


def _apply_confirm_payment(d, data, now, actor):
    channel = _text(data, "payment_channel", "kênh thanh toán", required=False, max_length=30)
    _close_pause(d, now, {"payment_channel": channel})
    return {"payment_channel": channel}


def _close_everything(d, now, actor):
    if _open_pause(d) is not None:
        _close_pause(d, now, {"closed": True})
    _close_step(d, now, actor)
    d.closed_at = now


def _apply_stop(d, data, now, actor):
    _close_everything(d, now, actor)
    return {}


_apply_withdraw = _apply_stop


def _apply_finish(d, data, now, actor):
    last = _last_processing_step(d.case)
    if d.current_step < last:
        step = _open_step(d)
        raise NotAllowed(
            f"Hồ sơ chưa qua hết các bước xử lý (đang ở bước {d.current_step}"
            f"{': ' + step.name if step else ''}); chỉ hoàn thành ở bước {last}.",
            code="steps_remaining",
        )
    d.finished_at = now
    step = _close_step(d, now, actor)
    if d.case.steps.filter(order__gt=last).exists():
        # The return step (the one-stop unit handing back the result) runs while the result waits.
        d.current_step = last + 1
        _start_step(d, d.current_step, now, actor)
    result = deadlines.timing(now, d.due_at)
    documents = data.get("documents") or []
    if not isinstance(documents, list) or not all(isinstance(x, str) and len(x) <= 300 for x in documents):
        raise DossierError("Danh sách giấy tờ kết quả phải là các tên giấy tờ, mỗi tên tối đa 300 ký tự.", field="documents")
    return {"timing": result.value if result else "", "step": step.order if step else None, "documents": documents}


def _apply_return_result(d, data, now, actor):
    method = data.get("method")
    if method not in ReturnMethod.values:
        raise DossierError(
            "Hình thức trả kết quả phải là counter (tại quầy), post (bưu chính) hoặc electronic (điện tử).", field="method"
        )
    if method == ReturnMethod.POST:
        d.post_tracking_number = _text(data, "tracking_number", "số vận đơn bưu chính", max_length=40)
    d.return_method = method
    d.returned_at = now
    d.closed_at = now
    _close_step(d, now, actor)
    receiver = _text(data, "receiver_name", "tên người nhận kết quả", required=False, max_length=200)
    out = {"method": method, "tracking_number": d.post_tracking_number, "receiver_name": receiver}
    kind = data.get("receiver_kind")
    if kind not in (None, ""):
        if kind not in RECEIVER_KINDS:
            raise DossierError(
                "Người nhận kết quả phải là chủ hồ sơ (owner) hoặc người được ủy quyền (authorised).", field="receiver_kind"
            )
        out["receiver_kind"] = kind
    originals = _text(data, "originals_returned", "giấy tờ bản chính trả lại", required=False, max_length=1000)
    if originals:
        out["originals_returned"] = originals
    return out


RECEIVER_KINDS = {"owner": "Chủ hồ sơ", "authorised": "Người được ủy quyền"}


def _apply_apologise(d, data, now, actor):
    if d.apologised_at is not None:
        raise NotAllowed(
            f"Hồ sơ đã được hẹn lại một lần ngày {timezone.localtime(d.apologised_at):%d/%m/%Y}; "
            "pháp luật chỉ cho phép hẹn lại một lần.",
            code="already_rescheduled",
        )
    if d.due_at is None:
        raise NotAllowed("Hồ sơ không có ngày hẹn trả nên không cần hẹn lại.", code="no_due_time")
    raw = data.get("new_due_at")
    new_due = raw if isinstance(raw, datetime) else parse_datetime(raw) if isinstance(raw, str) else None
    if new_due is None:
        raise DossierError("Ngày hẹn trả mới phải là ngày giờ, ví dụ 2026-12-01T16:00:00+07:00.", field="new_due_at")
    new_due = to_aware(new_due)
    calendar = _calendar(d)
    local_due, local_now, local_new = (to_local_naive(x) for x in (d.due_at, now, new_due))
    if calendar.working_minutes_between(local_now, local_due) < calendar.office_hours.minutes_per_day:
        raise NotAllowed(
            "Phải xin lỗi và hẹn lại chậm nhất 01 ngày làm việc trước hạn trả "
            f"({timezone.localtime(d.due_at):%H:%M %d/%m/%Y}); nay đã quá thời điểm đó.",
            code="apology_too_late",
        )
    if new_due <= d.due_at:
        raise DossierError("Ngày hẹn trả mới phải sau ngày hẹn trả hiện tại.", field="new_due_at")
    if not calendar.is_working_time(local_new):
        raise DossierError("Ngày hẹn trả mới phải rơi vào giờ làm việc của một ngày làm việc.", field="new_due_at")
    old_due = d.due_at
    d.apologised_at = now
    d.rescheduled_due_at = new_due
    return {"old_due_at": _iso(old_due), "new_due_at": _iso(new_due)}


APPLY = {
    "receive": _apply_receive,
    "request_completion": _apply_request_completion,
    "complete": lambda d, data, now, actor: _apply_complete(d, now),
    "refuse": _apply_refuse,
    "forward": _apply_forward,
    "request_supplement": _apply_request_supplement,
    "supply_supplement": _apply_supply_supplement,
    "request_verification": _apply_request_verification,
    "answer_verification": _apply_answer_verification,
    "request_payment": _apply_request_payment,
    "confirm_payment": _apply_confirm_payment,
    "stop": _apply_stop,
    "withdraw": _apply_withdraw,
    "finish": _apply_finish,
    "return_result": _apply_return_result,
    "apologise": _apply_apologise,
}


def perform(
    dossier,
    action: str,
    *,
    actor,
    data: dict | None = None,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Outcome:
    """Carry out `action` on a dossier (see workflow.TRANSITIONS for what each needs).

    Refused with NotAllowed (409) when the dossier's state does not allow it, Forbidden (403) when the
    actor lacks the role, DossierError (400) when the data is wrong, NotFound (404) for an unknown dossier.
    """
    data = data or {}
    transition = workflow.get(action)
    if transition is None or action not in APPLY:
        known = ", ".join(t.action for t in workflow.TRANSITIONS if t.action != "submit")
        raise NotFound(f"Không có thao tác '{action}'. Các thao tác: {known}.", code="unknown_action")
    now = _now(now)
    with transaction.atomic():
        dossier_id = dossier.pk if isinstance(dossier, Dossier) else dossier
        d = _lock(dossier_id)
        # After the lock: a retry that raced the first call sees its key once the first call committed.
        repeated = _remember_key(actor, idempotency_key, action, dossier_id)
        if repeated is not None:
            return Outcome(repeated, True)
        if not transition.allows(d.state):
            raise NotAllowed(
                f"Không thể '{transition.label}' khi hồ sơ đang ở trạng thái '{d.get_state_display()}'.",
            )
        _check_actor(actor, d, transition)
        reason = _text(data, "reason", "lý do", required="reason" in transition.requires)
        from_state = d.state
        details = APPLY[action](d, data, now, actor)
        if transition.target:
            d.state = transition.target
        d.national_status = workflow.national_status(d.state)
        old_due = d.due_at
        if d.state in workflow.RUNNING_STATES or action == "finish":
            _recompute_due(d)
        if d.due_at != old_due and old_due is not None:
            details["due_at"] = {"old": _iso(old_due), "new": _iso(d.due_at)}
        _append_event(d, action, from_state, actor, now, reason=reason, data=details)
        d.save()
        on_dossier_event(d, action, d.last_event_seq, details, reason)
        try:
            with transaction.atomic():
                _store_key(actor, idempotency_key, action, d)
        except IntegrityError:
            raise IdempotencyConflict(
                "Yêu cầu với khóa chống trùng này đang được xử lý; hãy thử lại sau giây lát."
            ) from None
    return Outcome(d, False)


# States in which fees collected before processing (thu trước) can still be paid online.
FEE_PAYABLE_STATES = frozenset({State.SUBMITTED, State.AWAITING_COMPLETION, State.RECEIVED, State.PROCESSING})


def unpaid_prepaid_fees(dossier: Dossier) -> list[DossierFee]:
    """The fee lines to be paid before processing that nobody has paid yet."""
    return list(dossier.fees.filter(mode=FeeLine.Mode.PREPAID, paid_at__isnull=True, amount__gt=0).order_by("pk"))


@transaction.atomic
def record_fee_payment(dossier, *, reference: str, amount: int, channel: str = "Trực tuyến", now=None) -> Outcome:
    """Mark the dossier's unpaid prepaid fees as paid by the online payment `reference` and append a
    "pay_fees" event (the citizen is told, the portal is synchronised). The state does not change.

    Refused: nothing left to pay, a state where fees are no longer collected, or an amount that is not
    the sum of the unpaid fees. A repeat with the same reference changes nothing."""
    now = _now(now)
    d = _lock(dossier)
    if d.events.filter(action="pay_fees", data__reference=reference).exists():
        return Outcome(d, repeated=True)
    if d.state not in FEE_PAYABLE_STATES:
        raise NotAllowed("Hồ sơ ở trạng thái này không còn thu phí, lệ phí trực tuyến.")
    fees = unpaid_prepaid_fees(d)
    if not fees:
        raise NotAllowed("Hồ sơ không còn khoản phí, lệ phí nào phải nộp trước.")
    if sum(f.amount for f in fees) != amount:
        raise DossierError("Số tiền đã nộp không khớp với các khoản phí, lệ phí của hồ sơ.", field="amount")
    DossierFee.objects.filter(pk__in=[f.pk for f in fees]).update(paid_at=now, payment_channel=channel[:30])
    data = {"reference": reference, "amount": amount, "fees": [f.name for f in fees]}
    event = _append_event(d, "pay_fees", d.state, None, now, data=data)
    d.save(update_fields=["last_event_seq", "audit_head", "updated_at"])
    on_dossier_event(d, "pay_fees", event.seq, data)
    return Outcome(d, repeated=False)


def _step_guard_allows(dossier: Dossier, transition: workflow.Transition) -> bool:
    """forward stops before the last processing step; finish waits for it."""
    if transition.action not in STEP_OWNER_ACTIONS or dossier.state != State.PROCESSING:
        return True
    last = _last_processing_step(dossier.case)
    at_last = dossier.current_step >= last
    return at_last if transition.action == "finish" else not at_last


def allowed_actions(dossier: Dossier, actor) -> list[workflow.Transition]:
    """The moves this actor may make on this dossier now (for buttons and the API)."""
    candidates = workflow.actions_from(dossier.state)
    if isinstance(actor, Applicant):
        return [t for t in candidates if workflow.APPLICANT in t.roles and t.action != "submit"]
    if actor is None or actor.is_superuser:
        return [t for t in candidates if t.action != "submit" and _step_guard_allows(dossier, t)]
    held = _held_roles(actor, dossier)
    candidates = [
        t for t in candidates
        if t.roles & _roles_for(actor, dossier, t, held) and not _step_role_missing(dossier, t, held)
    ]
    return [t for t in candidates if t.action != "submit" and _step_guard_allows(dossier, t)]


# ---------------------------------------------------------------- holiday changes


EVENT_COLUMNS = [
    "dossier", "seq", "action", "from_state", "to_state", "actor", "actor_name", "at", "reason", "data", "due_at",
    "hash",
]
PG_TYPES = {"due_at": "timestamptz", "last_event_seq": "integer", "id": "bigint", "audit_head": "varchar(64)", "hash": "varchar(64)"}


def _copy_many_postgres(model, fields, key: str | None, rows: list[tuple], guard: str | None) -> list:
    """PostgreSQL: COPY the rows in (no per-row statements, no parameter quoting); an UPDATE goes through
    a temporary table joined on the key, guarded as described in _write_many."""
    import json

    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    is_json = [f.get_internal_type() == "JSONField" for f in fields]

    def values(row):
        out = [json.dumps(v, ensure_ascii=False) if j else v for j, v in zip(is_json, row, strict=False)]
        return out + list(row[len(fields):])

    with connection.cursor() as wrapper:
        cursor = wrapper.cursor  # the psycopg cursor, for COPY
        if not key:
            columns = ", ".join(qn(f.column) for f in fields)
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(values(row))
            return []
        names = [f.column for f in fields] + [key] + ([model._meta.get_field(guard).column] if guard else [])
        temp = qn(f"tmp_{model._meta.db_table}")
        columns = ", ".join(f"c{i} {PG_TYPES[n]}" for i, n in enumerate(names))
        cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {temp} ({columns}) ON COMMIT DELETE ROWS")
        with cursor.copy(f"COPY {temp} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(values(row))
        sets = ", ".join(f"{qn(f.column)} = v.c{i}" for i, f in enumerate(fields))
        sql = f"UPDATE {table} AS t SET {sets} FROM {temp} AS v WHERE t.{qn(key)} = v.c{len(fields)}"
        if guard:
            sql += f" AND t.{qn(names[-1])} = v.c{len(fields) + 1}"
        cursor.execute(sql + f" RETURNING t.{qn(key)}")
        done = [r[0] for r in cursor.fetchall()]
        cursor.execute(f"DELETE FROM {temp}")  # the next batch of this transaction starts empty
        return done


def _write_many(model, field_names: list[str], key: str | None, rows: list[tuple], guard: str | None = None) -> list:
    """UPDATE (when `key` is given: each row ends with the key value, then the guard value) or INSERT many
    rows at once. Returns the keys of the rows updated.

    PostgreSQL gets one statement over unnest()ed arrays; an UPDATE with a `guard` column changes only rows
    whose guard still has the value read (optimistic locking instead of locking every row read). SQLite
    gets executemany with values prepared by each field's get_db_prep_save; its IMMEDIATE transaction
    already keeps other writers out, so the guard is not needed there.
    """
    fields = [model._meta.get_field(name) for name in field_names]
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    columns = [f.column for f in fields]
    if connection.vendor == "postgresql":
        return _copy_many_postgres(model, fields, key, rows, guard)
    # Only dates and JSON need the field's preparation; ints, text and None go as they are.
    prep = [f.get_internal_type() in ("DateTimeField", "JSONField") for f in fields]
    prepared = [
        [f.get_db_prep_save(v, connection) if p else v for f, p, v in zip(fields, prep, row, strict=False)]
        + ([row[len(fields)]] if key else [])
        for row in rows
    ]
    if key:
        sql = f"UPDATE {table} SET {', '.join(qn(c) + ' = %s' for c in columns)} WHERE {qn(key)} = %s"
    else:
        sql = f"INSERT INTO {table} ({', '.join(qn(c) for c in columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    with connection.cursor() as cursor:
        cursor.executemany(sql, prepared)
    return [row[len(fields)] for row in rows] if key else []


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
        _write_many(StepRecord, ["due_at"], "id", steps)
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
                dossier_id=d.pk, action="recompute_due", from_state=d.state, to_state=d.state, actor_name="Hệ thống",
                at=now, reason=reason, data=data, due_at=new_due))  # numbered and chained by the kernel, written in bulk
            updates.append((new_due, event.seq, event.hash, d.pk, before))
            written.append((d.pk, event.seq, "recompute_due", d.state, d.state, None, "Hệ thống", now, reason, data,
                            new_due, event.hash))
        if not updates:
            return 0, len(rows)
        done = set(_write_many(Dossier, ["due_at", "last_event_seq", "audit_head"], "id", updates, guard="last_event_seq"))
        written = [e for e in written if e[0] in done]
        _write_many(DossierEvent, EVENT_COLUMNS, None, written)
        facts.record_events(done)
        _recompute_open_step_and_answer_dues(done, pauses, agencies)
        return len(written), len(rows)
