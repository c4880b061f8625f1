"""Handling feedback (xử lý phản ánh, kiến nghị): the only writer of a feedback item's handling.

Like dossiers/services.py: each move locks the item, checks the table in feedback/workflow.py and the
actor's roles at the item's unit, changes the state, appends a FeedbackEvent and queues what the citizen
must be told (outbox), all in one transaction. Refusals raise FeedbackError with a Vietnamese message
and an HTTP status (400 bad data, 403 not allowed for this person, 404 unknown, 409 not in this state);
nothing is written then.

Deadlines: working days from receipt on the unit's calendar (10, or 5 for a simple case, unless a
HandlingDeadline above the unit says otherwise); forwarding and reopening start a new period.
"""

import re
from datetime import datetime

from django.utils import timezone

from motcua import fields
from motcua.calendar.services import calendar_for_agency, to_aware, to_local_naive
from motcua.notify import outbox
from motcua.org.models import Agency, RoleAssignment, User
from motcua.org.selectors import roles_at
from motcua.workflow import events
from motcua.workflow.kernel import StateMachine

from . import workflow
from .models import Feedback, FeedbackActionKey, FeedbackEvent, HandlingDeadline
from .services import FeedbackError

DEFAULT_DAYS, DEFAULT_SIMPLE_DAYS = 10, 5
ANSWER_MAX = 10_000
PUBLIC_MAX = 5_000
REASON_MAX = 2_000
S = Feedback.State


def deadline_days(agency: Agency | None, simple: bool) -> int:
    """Working days to answer at `agency`: the nearest HandlingDeadline at or above it, else 10 (5)."""
    if agency is not None:
        ancestors = agency.ancestor_ids()
        settings = {d.agency_id: d for d in HandlingDeadline.objects.filter(agency_id__in=ancestors)}
        for pk in reversed(ancestors):
            if pk in settings:
                return settings[pk].simple_working_days if simple else settings[pk].working_days
    return DEFAULT_SIMPLE_DAYS if simple else DEFAULT_DAYS


def due_time(agency: Agency | None, start: datetime, simple: bool) -> datetime:
    calendar = calendar_for_agency(agency)
    return to_aware(calendar.add_working_days(to_local_naive(start), deadline_days(agency, simple)))


def start_clock(item: Feedback, now: datetime) -> None:
    """Set the item's answer deadline from `now` (receipt, forwarding or reopening)."""
    item.due_at = due_time(item.agency, now, item.simple)


def record_intake(item: Feedback, actor=None, now=None) -> None:
    """The first event of a new item (called by services.submit_feedback in its transaction)."""
    now = now or timezone.now()
    start_clock(item, now)
    _append(item, "receive", "", actor, now, data={"source": item.source, "due_at": _iso(item.due_at)})
    item.save(update_fields=["due_at", "last_event_seq", "audit_head"])


def _iso(moment):
    return moment.isoformat() if moment else None


def _actor_name(actor) -> str:
    if actor is None:
        return "Người phản ánh"
    return actor.get_full_name() or actor.username


def _append(item, action, from_state, actor, now, reason="", data=None) -> FeedbackEvent:
    """The one way a feedback event is written: numbered and hash-chained by the kernel."""
    return events.append(item, FeedbackEvent(
        feedback=item, action=action, from_state=from_state, to_state=item.state,
        actor=actor if isinstance(actor, User) else None, actor_name=_actor_name(actor), at=now, reason=reason,
        data=data or {},
    ))


def held_roles(actor, item: Feedback) -> set[str]:
    """Roles `actor` holds for this item: at its unit or above; for an item with no unit yet, at a
    top-level unit (the province), whose dispatchers send it to the right unit."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return set()
    if item.agency_id is not None:
        return roles_at(actor, item.agency)
    return set(RoleAssignment.objects.filter(user=actor, agency__parent__isnull=True).values_list("role", flat=True))


def allowed_actions(item: Feedback, actor) -> list[workflow.Transition]:
    """The staff actions `actor` may take on `item` now (the buttons on the desk)."""
    held = held_roles(actor, item)
    out = []
    for t in workflow.TRANSITIONS:
        if workflow.CITIZEN in t.roles or not t.allows(item.state) or not (held & t.roles):
            continue
        if t.action == "draft" and not _may_draft(actor, item, held):
            continue
        if t.action in ("publish", "unpublish") and (t.action == "unpublish") != item.public:
            continue
        out.append(t)
    return out


def _may_draft(actor, item, held) -> bool:
    return bool(held & workflow.HEADS) or (item.assignee_id is not None and item.assignee_id == actor.pk)


def _text(data: dict, name: str, label: str, max_length: int, *, required: bool = True) -> str:
    value = data.get(name)
    value = value.strip() if isinstance(value, str) else ""
    if required and not value:
        raise FeedbackError(f"Hãy nhập {label}.", field=name)
    if len(value) > max_length:
        raise FeedbackError(f"{label[0].upper()}{label[1:]} dài {len(value)} ký tự; tối đa {max_length}.", field=name)
    return value


# ---------------------------------------------------------------- what each action does

def _assign(item, data, actor, now):
    raw = data.get("assignee")
    user = None
    if isinstance(raw, User):
        user = raw
    elif isinstance(raw, (int, str)) and not isinstance(raw, bool):
        try:
            pk = fields.whole_number(raw, "cán bộ được giao", minimum=1)
        except fields.FieldError:
            pk = None
        user = User.objects.filter(pk=pk, is_active=True, is_system=False).first() if pk else None
    if user is None:
        raise FeedbackError("Hãy chọn cán bộ được giao xử lý.", field="assignee")
    if item.agency_id is None:
        raise FeedbackError("Phản ánh chưa có đơn vị xử lý; hãy chuyển đến đơn vị có thẩm quyền trước.", field="agency")
    if not (roles_at(user, item.agency) & workflow.DRAFTERS):
        raise FeedbackError(f"{_actor_name(user)} không có vai trò xử lý tại {item.agency}.", field="assignee")
    item.assignee = user
    return {"assignee": _actor_name(user)}


def _forward(item, data, actor, now):
    raw = data.get("agency")
    agency = raw if isinstance(raw, Agency) else None
    if agency is None and isinstance(raw, str) and raw.strip():
        agency = Agency.objects.filter(identifier_code=raw.strip().upper()).first()
    if agency is None and isinstance(raw, int):
        agency = Agency.objects.filter(pk=raw).first()
    if agency is None:
        raise FeedbackError("Hãy chọn đơn vị nhận phản ánh (mã định danh cơ quan).", field="agency")
    if agency.pk == item.agency_id:
        raise FeedbackError("Phản ánh đang ở chính đơn vị này; hãy chọn đơn vị khác.", field="agency")
    previous = item.agency
    item.agency, item.assignee = agency, None
    start_clock(item, now)
    return {"from": str(previous) if previous else "", "to": str(agency), "due_at": _iso(item.due_at)}


def _draft(item, data, actor, now):
    if not _may_draft(actor, item, held_roles(actor, item)):
        raise FeedbackError("Chỉ cán bộ được giao hoặc lãnh đạo đơn vị mới dự thảo trả lời.", status=403)
    item.draft = _text(data, "answer", "nội dung trả lời", ANSWER_MAX)
    return {"length": len(item.draft)}


def _send_back(item, data, actor, now):
    return {}


def _approve(item, data, actor, now):
    item.approved_by, item.approved_at = actor, now
    return {}


def _answer(item, data, actor, now):
    item.answer = item.draft
    item.answered_at, item.answered_by, item.answering_agency = now, actor, item.agency
    late = item.due_at is not None and now > item.due_at
    if item.first_answered_at is None:
        item.first_answered_at, item.first_answer_late = now, late
    _tell_citizen(item)
    return {"late": late}


def _close(item, data, actor, now):
    item.closed_at = now
    return {}


PERSONAL_PATTERNS = [
    (re.compile(r"(?<!\d)0\d{9,10}(?!\d)"), "số điện thoại"),
    (re.compile(r"(?<!\d)\d{12}(?!\d)"), "số định danh cá nhân"),
    (re.compile(r"(?<!\d)\d{9}(?!\d)"), "số chứng minh nhân dân"),
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"), "địa chỉ thư điện tử"),
]


def personal_data_in(text: str, item: Feedback) -> list[str]:
    """What in `text` identifies a person: phone, ID and e-mail patterns, and the sender's own name."""
    found = [label for pattern, label in PERSONAL_PATTERNS if pattern.search(text)]
    name = item.contact_name.strip()
    if name and name.casefold() in text.casefold():
        found.append("họ tên người phản ánh")
    return found


def _publish(item, data, actor, now):
    question = _text(data, "public_question", "câu hỏi công khai", PUBLIC_MAX)
    answer = _text(data, "public_answer", "trả lời công khai", PUBLIC_MAX)
    found = personal_data_in(question + "\n" + answer, item)
    if found:
        raise FeedbackError(
            "Nội dung công khai còn thông tin cá nhân (" + ", ".join(found) + "); hãy bỏ đi rồi công khai lại.",
            field="public_question",
        )
    item.public, item.public_question, item.public_answer = True, question, answer
    return {}


def _unpublish(item, data, actor, now):
    if not item.public:
        raise FeedbackError("Phản ánh này chưa được công khai nên không có gì để thôi công khai.", status=409)
    item.public = False
    return {}


def _rate(item, data, actor, now):
    rating = data.get("rating")
    if rating not in Feedback.Rating.values:
        raise FeedbackError("Hãy chọn: hài lòng hoặc không hài lòng với trả lời.", field="rating")
    if item.rating:
        raise FeedbackError("Trả lời này đã được đánh giá.", status=409)
    item.rating, item.rated_at = rating, now
    return {"rating": rating}


def _reopen(item, data, actor, now):
    if item.reopened_at is not None:
        raise FeedbackError("Mỗi phản ánh chỉ được phản ánh lại một lần.", status=409)
    if item.rating != Feedback.Rating.DISSATISFIED:
        raise FeedbackError("Chỉ phản ánh lại được khi đã đánh giá không hài lòng với trả lời.", status=409)
    item.reopened_at, item.reopen_reason = now, data["reason"]
    item.rating, item.rated_at, item.closed_at, item.assignee = "", None, None, None
    start_clock(item, now)
    return {"due_at": _iso(item.due_at)}


APPLY = {
    "assign": _assign, "forward": _forward, "draft": _draft, "send_back": _send_back, "approve": _approve,
    "answer": _answer, "close": _close, "publish": _publish, "unpublish": _unpublish, "rate": _rate,
    "reopen": _reopen,
}


class FeedbackMachine(StateMachine):
    """Feedback's steps of the kernel's `perform` (workflow/kernel.py)."""

    def unknown(self, action):
        raise FeedbackError(f"Không có thao tác “{action}”.", status=404)

    def lock(self, pk):
        locked = Feedback.objects.select_for_update().filter(pk=pk).first()
        if locked is None:
            raise FeedbackError("Không tìm thấy phản ánh, kiến nghị.", status=404)
        return locked

    def refuse_state(self, transition, item):
        raise FeedbackError(
            f"Không thể “{transition.label}” khi phản ánh đang ở trạng thái “{item.get_state_display()}”.", status=409,
        )

    def check_actor(self, actor, item, transition):
        if workflow.CITIZEN in transition.roles:
            if actor is not None:
                raise FeedbackError("Chỉ người gửi phản ánh mới đánh giá hoặc phản ánh lại.", status=403)
        elif not (held_roles(actor, item) & transition.roles):
            raise FeedbackError(f"Bạn không có quyền “{transition.label}” phản ánh này.", status=403)

    def reason(self, data, transition):
        return _text(data, "reason", "lý do", REASON_MAX, required="reason" in transition.requires)

    def repeated(self, actor, key, action, pk):
        if not key:
            return None
        if len(key) > 100:
            raise FeedbackError("Khóa chống trùng dài tối đa 100 ký tự.", field="idempotency_key")
        done = FeedbackActionKey.objects.filter(actor_key=_actor_key(actor), key=key).select_related("feedback").first()
        if done is None:
            return None
        if done.action != action or done.feedback_id != pk:
            raise FeedbackError("Khóa chống trùng này đã được dùng cho thao tác khác; hãy tải lại trang.", status=409)
        return done.feedback

    def remember(self, actor, key, action, item):
        if key:
            FeedbackActionKey.objects.create(actor_key=_actor_key(actor), key=key, action=action, feedback=item)

    def change(self, item, action, data, actor, now):
        return APPLY[action](item, data, actor, now)

    def append(self, item, action, from_state, actor, now, reason, details):
        _append(item, action, from_state, actor, now, reason=reason, data=details)

    def consequences(self, item, action, now):
        if action == "rate" and item.rating == Feedback.Rating.SATISFIED:
            _closed_by_the_rating(item, now)


MACHINE = FeedbackMachine("feedback", workflow.TABLE, APPLY)


def perform(item, action: str, *, actor=None, data: dict | None = None, idempotency_key: str | None = None,
            now: datetime | None = None) -> Feedback:
    """Carry out `action` on a feedback item (see workflow.TRANSITIONS) through the kernel. `actor` is a
    staff user, or None for the citizen holding the code (rate, reopen). The same `idempotency_key` sent
    again returns the item without a second move. Returns the item as saved."""
    return MACHINE.perform(item, action, actor=actor, data=data, idempotency_key=idempotency_key,
                           now=now or timezone.now())


def already_done(actor, key: str, action: str, item: Feedback) -> bool:
    """Whether this move was already made with this key (a form sent twice)."""
    return FeedbackActionKey.objects.filter(actor_key=_actor_key(actor), key=key, action=action, feedback=item).exists()


def _actor_key(actor) -> str:
    return f"user:{actor.pk}" if isinstance(actor, User) else "citizen"


def _closed_by_the_rating(item, now) -> None:
    """A satisfied citizen closes the item: the table's `close` move, recorded as its own event (the
    rating itself keeps the state, as the table says)."""
    close = workflow.get("close")
    from_state = item.state
    assert close.allows(from_state)
    item.state, item.closed_at = close.target, now
    _append(item, "close", from_state, None, now, reason="Người phản ánh hài lòng với trả lời.")


# ---------------------------------------------------------------- telling the citizen

def _tell_citizen(item: Feedback) -> None:
    """The answer goes to the sender by e-mail (in full) and SMS (a notice without diacritics, pointing
    to the follow page), worded as the desk's preview shows (feedback/answers.py). Anonymous senders
    read it on the follow page only."""
    from . import answers

    key = f"feedback:{item.pk}:{item.last_event_seq + 1}"
    if item.contact_email:
        outbox.enqueue(
            channel="email", recipient=item.contact_email, key=f"{key}:email", subject=answers.email_subject(item),
            body=answers.email_body(item, item.answer), payload={"feedback": item.code},
        )
    if item.contact_phone:
        outbox.enqueue(
            channel="sms", recipient=item.contact_phone, key=f"{key}:sms", body=answers.sms_body(item),
            payload={"feedback": item.code},
        )
