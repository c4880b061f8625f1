"""The moves of the transition table (dossiers/workflow.py): what each action does, and `perform`, the one
writer of a dossier's state."""

from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from motcua import fields
from motcua.calendar.services import to_aware, to_local_naive
from motcua.org.models import Agency
from motcua.org.roles import Role
from motcua.org.selectors import holders_of
from motcua.workflow.kernel import StateMachine

from .. import deadlines, workflow
from ..models import (
    Dossier,
    Pause,
    ReturnMethod,
)
from .common import (
    _append_event,
    _calendar,
    _check_actor,
    _close_pause,
    _close_step,
    _iso,
    _items,
    _last_processing_step,
    _lock,
    _now,
    _open_pause,
    _open_step,
    _recompute_due,
    _remember_key,
    _start_step,
    _store_key,
    _text,
    _working_days,
    step_agency,
)
from .errors import DossierError, IdempotencyConflict, NotAllowed, NotFound, Outcome
from .intake import _check_agency


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


def _assignee(d: Dossier, order: int, raw):
    """The person the next step goes to (optional): someone who holds that step's role where it is done."""
    if raw in (None, ""):
        return None
    step_def = d.case.steps.filter(order=order).first()
    if step_def is None:
        raise DossierError("Bước tiếp theo không có trong quy trình nên không giao cho người cụ thể được.", field="assignee")
    try:
        pk = fields.whole_number(raw, "người nhận xử lý bước tiếp theo", minimum=1)
    except fields.FieldError:
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


class DossierMachine(StateMachine):
    """The dossier's steps of the kernel's `perform` (workflow/kernel.py)."""

    def unknown(self, action):
        known = ", ".join(t.action for t in workflow.TRANSITIONS if t.action != "submit")
        raise NotFound(f"Không có thao tác '{action}'. Các thao tác: {known}.", code="unknown_action")

    def lock(self, dossier_id):
        return _lock(dossier_id)

    def repeated(self, actor, key, action, dossier_id):
        return _remember_key(actor, key, action, dossier_id)

    def refuse_state(self, transition, d):
        raise NotAllowed(f"Không thể '{transition.label}' khi hồ sơ đang ở trạng thái '{d.get_state_display()}'.")

    def check_actor(self, actor, d, transition):
        _check_actor(actor, d, transition)

    def reason(self, data, transition):
        return _text(data, "reason", "lý do", required="reason" in transition.requires)

    def change(self, d, action, data, actor, now):
        return APPLY[action](d, data, now, actor)

    def follow_through(self, d, action, details):
        d.national_status = workflow.national_status(d.state)
        old_due = d.due_at
        if d.state in workflow.RUNNING_STATES or action == "finish":
            _recompute_due(d)
        if d.due_at != old_due and old_due is not None:
            details["due_at"] = {"old": _iso(old_due), "new": _iso(d.due_at)}

    def append(self, d, action, from_state, actor, now, reason, details):
        _append_event(d, action, from_state, actor, now, reason=reason, data=details)

    def remember(self, actor, key, action, d):
        try:
            with transaction.atomic():
                _store_key(actor, key, action, d)
        except IntegrityError:
            raise IdempotencyConflict(
                "Yêu cầu với khóa chống trùng này đang được xử lý; hãy thử lại sau giây lát."
            ) from None

    def result(self, d, repeated):
        return Outcome(d, repeated)


MACHINE = DossierMachine("dossier", workflow.TABLE, APPLY)


def perform(
    dossier,
    action: str,
    *,
    actor,
    data: dict | None = None,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Outcome:
    """Carry out `action` on a dossier (see workflow.TRANSITIONS for what each needs), through the kernel.

    Refused with NotAllowed (409) when the dossier's state does not allow it, Forbidden (403) when the
    actor lacks the role, DossierError (400) when the data is wrong, NotFound (404) for an unknown dossier.
    """
    return MACHINE.perform(dossier, action, actor=actor, data=data, idempotency_key=idempotency_key, now=_now(now))
