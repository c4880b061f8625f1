"""Feedback (phản ánh, kiến nghị) pages: send one without signing in, follow it by its code.
Thin: the rules are in services.py."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from motcua.catalog.models import Procedure
from motcua.org.models import Agency

from . import services
from .models import Feedback

FOLLOW_SCOPE = "feedback"
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
        values = {"dossier_code": request.GET.get("ho_so", "")[:60]}
        return render(request, "feedback/submit.html", _form_context(values))
    values = {name: request.POST.get(name, "") for name in FIELDS}
    try:
        procedure = _choice(Procedure, values["procedure"], _("Thủ tục hành chính"), "procedure")
        agency = _choice(Agency, values["agency"], _("Cơ quan, đơn vị"), "agency")
        code = services.submit_feedback(
            kind=values["kind"], text=values["text"], dossier_code=values["dossier_code"],
            procedure=procedure, agency=agency, attachment=request.FILES.get("attachment"),
            contact=services.Contact(values["contact_name"], values["contact_phone"], values["contact_email"]),
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


@never_cache
@require_GET
def follow(request, code: str):
    """/danh-gia/phan-anh/<code>/: the state of the feedback and the answer once there is one. The
    sender's contact details are never shown here."""
    if services.too_many_failures(FOLLOW_SCOPE, _client(request)):
        return _throttled(request)
    feedback = services.feedback_by_code(code)
    if feedback is None:
        return _follow_not_found(request, code)
    return render(request, "feedback/follow.html", {"feedback": feedback})
