"""The feedback (PAKN) desk, under /mot-cua/phan-anh/: the unit's inbox, one item with a form per allowed
action, and the intake of complaints made at the counter or by phone.

Thin: feedback/handling.py decides and writes (perform, allowed_actions, held_roles), services.py takes
new items in; these views parse the forms, call them and show refusals in words with their status.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, IntegerField, Value, When
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.desk import selectors as desk_selectors
from motcua.desk.services import current_time
from motcua.dossiers.selectors import visible_dossiers
from motcua.notify.models import OutboxMessage
from motcua.org.models import Agency, RoleAssignment

from . import answers, handling, selectors, services, workflow
from .forms import ACTION_FORMS, IntakeForm, initial_for, province_agencies
from .models import Feedback, FeedbackAttachment

STAFF_ROLES = workflow.DISPATCHERS | workflow.DRAFTERS | workflow.SENDERS
EVENT_LABELS = {"receive": gettext_lazy("Tiếp nhận")}


# ---------------------------------------------------------------- who sees what


def _item_or_404(user, code: str) -> Feedback:
    item = (
        Feedback.objects.select_related("agency", "assignee", "procedure", "dossier", "approved_by", "answering_agency")
        .filter(code=(code or "").strip().upper())
        .first()
    )
    if item is None or not handling.held_roles(user, item):
        raise Http404(_("Không tìm thấy phản ánh, kiến nghị trong phạm vi được phép xem."))
    return item


def _no_role(request):
    needed = _("Cán bộ một cửa, chuyên viên, lãnh đạo, văn thư hoặc quản trị đơn vị")
    return render(request, "desk/no_role.html", {"needed": needed}, status=403)


# ---------------------------------------------------------------- the inbox

STATE_FILTERS = [("", gettext_lazy("Đang xử lý")), *Feedback.State.choices, ("all", gettext_lazy("Tất cả"))]


@login_required
@require_GET
def inbox(request):
    scope = selectors.scope(request.user)
    if scope is None:
        return _no_role(request)
    state = request.GET.get("trang-thai", "")
    if state not in dict(STATE_FILTERS):
        state = ""
    qs = Feedback.objects.filter(scope).select_related("agency", "assignee")
    if state == "":
        qs = qs.filter(state__in=list(workflow.OPEN_STATES))
    elif state != "all":
        qs = qs.filter(state=state)
    # Most urgent first: open items by their deadline, then the finished ones, newest first.
    qs = qs.annotate(
        finished=Case(When(state__in=list(workflow.OPEN_STATES), then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("finished", "due_at", "-created_at", "pk")
    page = desk_selectors.page_of(qs, request.GET.get("page"))
    now = current_time()
    for item in page.object_list:
        item.overdue = item.state in workflow.OPEN_STATES and item.due_at is not None and item.due_at < now
    query = f"trang-thai={state}" if state else ""
    return render(
        request, "feedback/desk/inbox.html", {"page": page, "state": state, "states": STATE_FILTERS, "query": query}
    )


# ---------------------------------------------------------------- one item


def _refusal(item: Feedback, user, action: str) -> tuple[str, int] | None:
    """Why `user` may not take `action` on the item now (message, status); None when allowed."""
    t = workflow.get(action)
    if t is None or action not in ACTION_FORMS:
        return _("Không có thao tác “%(a)s”.") % {"a": action}, 404
    if action in {a.action for a in handling.allowed_actions(item, user)}:
        return None
    if not (handling.held_roles(user, item) & t.roles):
        return _("Bạn không có quyền “%(a)s” phản ánh này.") % {"a": t.label}, 403
    if not t.allows(item.state):
        return _("Không thể “%(a)s” khi phản ánh đang ở trạng thái “%(s)s”.") % {
            "a": t.label, "s": item.get_state_display()}, 409
    if action == "draft":
        return _("Chỉ cán bộ được giao hoặc lãnh đạo đơn vị mới dự thảo trả lời."), 403
    return _("Phản ánh đã ở trạng thái này (“%(a)s” không cần làm nữa).") % {"a": t.label}, 409


def _forms(item, user, bound=None):
    out = []
    for t in handling.allowed_actions(item, user):
        if t.action == "assign" and item.agency_id is None:
            continue  # an item with no unit is forwarded first: nobody can be given it yet
        if bound is not None and bound.action == t.action:
            form = bound
        else:
            form = ACTION_FORMS[t.action](item=item, user=user, initial=initial_for(t.action, item), prefix=t.action)
            form.action = t.action
        form.idempotency_key = request_key(form)
        out.append((t, form))
    return out


def request_key(form) -> str:
    """The form's one-time key: the one it was sent with (shown again after an error), or a new one."""
    sent = form.data.get("idempotency_key", "") if form.is_bound else ""
    return sent if isinstance(sent, str) and 0 < len(sent) <= 100 else uuid.uuid4().hex


def _item_response(request, item, *, bound=None, error=None, status=200, draft_preview=None):
    user = request.user
    dossier_visible = bool(item.dossier_id) and visible_dossiers(user).filter(pk=item.dossier_id).exists()
    events = list(item.events.order_by("seq"))
    states = dict(Feedback.State.choices)
    for e in events:
        t = workflow.get(e.action)
        e.label = t.label if t else EVENT_LABELS.get(e.action, e.action)
        e.state_label = states.get(e.to_state, e.to_state)
    # What the citizen will read once sent: shown to the head approving and to whoever sends it.
    pending = None
    if draft_preview is None and item.state in (Feedback.State.DRAFTED, Feedback.State.APPROVED) and item.draft:
        pending = answers.preview(item, item.draft)
    return render(
        request,
        "feedback/desk/item.html",
        {
            "item": item,
            "events": events,
            "attachments": list(item.attachments.all()),
            "actions": _forms(item, user, bound),
            "dossier_visible": dossier_visible,
            "error": error,
            "draft_preview": draft_preview,
            "pending_preview": pending,
            "outbox": OutboxMessage.objects.filter(payload__feedback=item.code).order_by("created_at", "pk"),
            "overdue": item.state in workflow.OPEN_STATES and item.due_at is not None and item.due_at < current_time(),
        },
        status=status,
    )


@login_required
@require_GET
def item(request, code):
    return _item_response(request, _item_or_404(request.user, code))


@login_required
@require_POST
def action(request, code, action):
    found = _item_or_404(request.user, code)
    key = request.POST.get("idempotency_key") or None
    if key and handling.already_done(request.user, key, action, found):  # a resent form: done, not refused
        return redirect("pakn:item", code=found.code)
    refused = _refusal(found, request.user, action)
    if refused is not None:
        message, status = refused
        return _item_response(request, found, error=message, status=status)
    t = workflow.get(action)
    form = ACTION_FORMS[action](request.POST, item=found, user=request.user, prefix=action)
    form.action = action
    if not form.is_valid():
        error = _("Chưa thực hiện “%(a)s”: hãy sửa các mục được đánh dấu.") % {"a": t.label}
        return _item_response(request, found, bound=form, error=error, status=400)
    op = request.POST.get("op", "")
    if action == "draft" and op in ("template", "preview"):
        return _draft_helper(request, found, form, op)
    try:
        done = handling.perform(found, action, actor=request.user, data=form.data_for_service(),
                                idempotency_key=key, now=current_time())
    except services.FeedbackError as exc:
        if exc.field and exc.field in form.fields:
            form.add_error(exc.field, exc.message)
        return _item_response(request, _item_or_404(request.user, code), bound=form, error=exc.message, status=exc.status)
    messages.success(request, _("Đã thực hiện: %(a)s.") % {"a": t.label})
    if not handling.held_roles(request.user, done):  # forwarded to a unit out of this user's reach
        return redirect("pakn:inbox")
    return redirect("pakn:item", code=done.code)


def _draft_helper(request, item, form, op):
    """Without JavaScript: "Dùng mẫu" fills the answer from the chosen template, "Xem trước" shows what
    the citizen will read. Nothing is saved."""
    answer = form.cleaned_data.get("answer", "")
    if op == "template":
        template = form.cleaned_data.get("template")
        if template is None:
            form.add_error("template", _("Hãy chọn một mẫu trả lời rồi bấm “Dùng mẫu”."))
            return _item_response(request, item, bound=form, status=400)
        answer = answers.fill(template.body, item)
        data = form.data.copy()
        data[form.add_prefix("answer")] = answer
        form = type(form)(data, item=item, user=request.user, prefix=form.prefix)
        form.action = "draft"
        form.is_valid()
    if not answer.strip():
        form.add_error("answer", _("Hãy nhập nội dung trả lời (hoặc chọn một mẫu) để xem trước."))
        return _item_response(request, item, bound=form, status=400)
    return _item_response(request, item, bound=form, draft_preview=answers.preview(item, answer))


@login_required
@require_GET
def attachment(request, code, pk):
    """A file sent with the item, for staff who see it; always a download, never rendered."""
    found = _item_or_404(request.user, code)
    file = FeedbackAttachment.objects.filter(feedback=found, pk=pk).first()
    if file is None:
        raise Http404(_("Không tìm thấy tệp."))
    try:
        handle = file.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Tệp không còn trong kho lưu trữ.")) from None
    response = FileResponse(handle, as_attachment=True, filename=file.original_name, content_type=file.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# ---------------------------------------------------------------- intake at the counter or by phone


def _home_agency(user) -> Agency | None:
    held = RoleAssignment.objects.filter(user=user, role__in=list(STAFF_ROLES)).select_related("agency")
    first = held.order_by("agency__path").first()
    return first.agency if first else None


@login_required
@require_http_methods(["GET", "POST"])
def intake(request):
    home = _home_agency(request.user)
    if home is None:
        return _no_role(request)
    agencies = province_agencies(home)
    if request.method == "GET":
        form = IntakeForm(agencies=agencies, initial={"agency": home.pk, "source": Feedback.Source.COUNTER})
        return render(request, "feedback/desk/intake.html", {"form": form})
    form = IntakeForm(request.POST, request.FILES, agencies=agencies)
    if not form.is_valid():
        return render(request, "feedback/desk/intake.html", {"form": form, "error": _("Hãy sửa các mục được đánh dấu.")},
                      status=400)
    data = form.cleaned_data
    contact = services.Contact() if data["anonymous"] else services.Contact(
        data["contact_name"], data["contact_phone"], data["contact_email"])
    try:
        code = services.submit_feedback(
            kind=data["kind"], text=data["text"], contact=contact, dossier_code=data["dossier_code"],
            procedure=data["procedure"], agency=data["agency"], attachment=data.get("attachment"),
            source=data["source"], simple=data["simple"], actor=request.user, now=current_time(),
        )
    except services.FeedbackError as exc:
        if exc.field and exc.field in form.fields:
            form.add_error(exc.field, exc.message)
        return render(request, "feedback/desk/intake.html", {"form": form, "error": exc.message}, status=exc.status)
    return redirect("pakn:intake-done", code=code)


@login_required
@require_GET
def intake_done(request, code):
    """The code to give the citizen; for the officer who recorded it (or anyone who sees the item)."""
    found = Feedback.objects.select_related("agency").filter(code=(code or "").upper()).first()
    recorded = found is not None and found.events.filter(action="receive", actor=request.user).exists()
    if found is None or not (recorded or handling.held_roles(request.user, found)):
        raise Http404(_("Không tìm thấy phản ánh, kiến nghị trong phạm vi được phép xem."))
    return render(
        request, "feedback/desk/intake_done.html",
        {"item": found, "visible": bool(handling.held_roles(request.user, found)),
         "follow": answers.follow_path(found)},
    )
