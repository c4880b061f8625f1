"""Feedback (phản ánh, kiến nghị) pages: send one without signing in, follow it by its code, rate the
answer and raise it again once when not satisfied; the public questions and answers.
Thin: the rules are in services.py, handling.py and selectors.py."""

import secrets

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.catalog.models import Procedure
from motcua.org.models import Agency

from . import handling, selectors, services
from .models import Feedback
from .workflow import OPEN_STATES

FOLLOW_SCOPE = services.FOLLOW_SCOPE
FIELDS = ("kind", "text", "dossier_code", "procedure", "agency", "contact_name", "contact_phone", "contact_email")


def _client(request) -> str:
    from motcua.portal.identity import client_address

    return client_address(request)


def _choice(model, raw: str, label: str, field: str):
    """An optional choice from a list: '' is none, anything else must be a known row."""
    if not raw:
        return None
    found = model.objects.filter(pk=raw).first() if raw.isdigit() else None
    if found is None:
        raise services.FeedbackError(_("%(label)s đã chọn không có trong danh sách; hãy chọn lại.") % {"label": label}, field=field)
    return found


def _form_context(values: dict) -> dict:
    return {
        "values": values,
        "kinds": Feedback.Kind.choices,
        "procedures": Procedure.objects.order_by("name").only("pk", "name"),
        "agencies": Agency.objects.order_by("name").only("pk", "name"),
    }


@require_http_methods(["GET", "POST"])
def submit(request):
    """/danh-gia/phan-anh/: the form; on success the page shows the code to follow the answer with."""
    if request.method == "GET":
        values = {"dossier_code": request.GET.get("ho_so", "")[:60], "khoa": secrets.token_urlsafe(16)}
        return render(request, "feedback/submit.html", _form_context(values))
    values = {name: request.POST.get(name, "") for name in FIELDS}
    # The form's one-time token: a second click or a resent form finds the item the first one made.
    values["khoa"] = request.POST.get("khoa", "")[:40]
    try:
        procedure = _choice(Procedure, values["procedure"], _("Thủ tục hành chính"), "procedure")
        agency = _choice(Agency, values["agency"], _("Cơ quan, đơn vị"), "agency")
        code = services.submit_feedback(
            kind=values["kind"], text=values["text"], dossier_code=values["dossier_code"],
            procedure=procedure, agency=agency, attachment=request.FILES.get("attachment"),
            contact=services.Contact(values["contact_name"], values["contact_phone"], values["contact_email"]),
            intake_key=f"portal:{values['khoa']}" if values["khoa"] else "",
            sender=_client(request), limit=services.PER_ADDRESS,
        )
    except services.FeedbackError as exc:
        context = _form_context(values) | {"error": exc.message, "error_field": exc.field}
        return render(request, "feedback/submit.html", context, status=exc.status)
    return render(request, "feedback/submitted.html", {"code": code}, status=201)


def _follow_not_found(request, code: str):
    services.record_failure(FOLLOW_SCOPE, _client(request))
    message = _("Không tìm thấy phản ánh, kiến nghị mã “%(code)s”. Hãy kiểm tra lại mã (dạng PAKN-YYMMDD-XXXX).") % {
        "code": code[:40]
    }
    return render(request, "feedback/follow_lookup.html", {"error": message, "code": code[:40]}, status=404)


def _throttled(request):
    return render(
        request, "feedback/follow_lookup.html",
        {"error": _("Ông/bà đã nhập sai mã quá nhiều lần. Hãy thử lại sau 10 phút.")}, status=429,
    )


@never_cache
@require_GET
def follow_lookup(request):
    """/danh-gia/phan-anh/theo-doi/?ma=…: the small form to reach a feedback's page by its code."""
    code = (request.GET.get("ma") or "").strip().upper()
    if not code:
        return render(request, "feedback/follow_lookup.html", {})
    if services.too_many_failures(FOLLOW_SCOPE, _client(request)):
        return _throttled(request)
    if services.feedback_by_code(code) is None:
        return _follow_not_found(request, code)
    return redirect("feedback:follow", code=code)


def _follow_page(request, feedback: Feedback, *, status: int = 200, error: str = "", values: dict | None = None):
    """The follow page: what the sender chose, the state, the answer and what the code holder may do now.
    Never the sender's name, phone, e-mail or original text."""
    S = Feedback.State
    context = {
        "feedback": feedback,
        "is_open": feedback.state in OPEN_STATES,
        "can_rate": feedback.state == S.ANSWERED and not feedback.rating,
        "can_reopen": (feedback.state in (S.ANSWERED, S.CLOSED) and feedback.rating == Feedback.Rating.DISSATISFIED
                       and feedback.reopened_at is None),
        "ratings": Feedback.Rating.choices,
        "reason_max": handling.REASON_MAX,
        "error": error,
        "values": values or {},
    }
    return render(request, "feedback/follow.html", context, status=status)


def _held_item(request, code: str):
    """(item, None) for a known code; (None, response) when throttled or unknown (which counts as a failure)."""
    if services.too_many_failures(FOLLOW_SCOPE, _client(request)):
        return None, _throttled(request)
    feedback = services.feedback_by_code(code)
    if feedback is None:
        return None, _follow_not_found(request, code)
    return feedback, None


@never_cache
@require_GET
def follow(request, code: str):
    """/danh-gia/phan-anh/<code>/: the state of the feedback and the answer once there is one. The
    sender's contact details are never shown here."""
    feedback, refusal = _held_item(request, code)
    if refusal is not None:
        return refusal
    return _follow_page(request, feedback)


@require_POST
def rate(request, code: str):
    """/danh-gia/phan-anh/<code>/danh-gia/: the code holder rates the answer (satisfied or not), once."""
    feedback, refusal = _held_item(request, code)
    if refusal is not None:
        return refusal
    rating = request.POST.get("rating", "")
    try:
        feedback = handling.perform(feedback, "rate", actor=None, data={"rating": rating})
    except services.FeedbackError as exc:
        feedback.refresh_from_db()
        return _follow_page(request, feedback, status=exc.status, error=exc.message)
    if feedback.rating == Feedback.Rating.SATISFIED:
        messages.success(request, _("Cảm ơn ông/bà đã đánh giá. Phản ánh, kiến nghị đã kết thúc."))
    else:
        messages.success(request, _("Cảm ơn ông/bà đã đánh giá. Nếu chưa đồng ý với trả lời, ông/bà có thể phản ánh lại một lần."))
    return redirect("feedback:follow", code=feedback.code)


@require_POST
def reopen(request, code: str):
    """/danh-gia/phan-anh/<code>/phan-anh-lai/: not satisfied with the answer, the holder raises it again
    (once, with a reason); the item goes back to the unit with a new deadline."""
    feedback, refusal = _held_item(request, code)
    if refusal is not None:
        return refusal
    reason = request.POST.get("reason", "")
    try:
        feedback = handling.perform(feedback, "reopen", actor=None, data={"reason": reason})
    except services.FeedbackError as exc:
        feedback.refresh_from_db()
        return _follow_page(request, feedback, status=exc.status, error=exc.message, values={"reason": reason[:4000]})
    messages.success(request, _("Đã gửi phản ánh lại. Cơ quan có thẩm quyền sẽ xem xét và trả lời lại trước %(due)s.")
                     % {"due": _local(feedback.due_at)})
    return redirect("feedback:follow", code=feedback.code)


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y") if moment else ""


QA_PAGE_SIZE = 20
QA_QUERY_MAX = 200


@require_GET
def questions_and_answers(request):
    """/danh-gia/hoi-dap/: answered feedback a head of unit made public, in its public wording only
    (never the original text or the sender), newest first, searchable without accents."""
    query = (request.GET.get("q") or "").strip()[:QA_QUERY_MAX]
    items = selectors.public_answers(query).select_related("answering_agency", "agency").only(
        "pk", "kind", "public_question", "public_answer", "first_answered_at", "answering_agency__name", "agency__name",
    )
    page = Paginator(items, QA_PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(request, "feedback/qa.html", {
        "page": page, "query": query, "page_params": urlencode({"q": query}) if query else "",
    })
