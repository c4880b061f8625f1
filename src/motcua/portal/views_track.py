"""Tracking pages of the citizen portal (/tra-cuu/). Thin: the rules are in tracking.py, ratings in
feedback.services, payments in payments.services. A dossier this browser did not look up (and that the
signed-in citizen's account does not own) is answered with 404, whatever the address asked for."""

import logging
import uuid

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.feedback import services as feedback_services
from motcua.feedback.models import Rating

from . import tracking
from .identity import current_citizen

log = logging.getLogger(__name__)

PDF = "application/pdf"


def _client(request) -> str:
    from .identity import client_address

    return client_address(request)


def _problem(request, message: str, status: int) -> HttpResponse:
    return render(request, "portal/track/problem.html", {"message": message}, status=status)


def _not_found(request) -> HttpResponse:
    return _problem(request, tracking.not_found_message(), 404)


def _dossier_or_none(request, code: str):
    return tracking.accessible(request, current_citizen(request), code)


def _attachment(content, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"  # personal data
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def track(request):
    """/tra-cuu/: the look-up form (the code prefilled from ?ma=, as on form 01's QR code and in messages).
    A code this browser may already see goes straight to its page.

    A successful look-up (the portal's busiest request) reads one row and writes nothing: no session,
    no message; the code goes into a signed cookie (tracking.remember). CSRF is checked as everywhere."""
    citizen = current_citizen(request)

    def form(code: str, status: int = 200, error: str = "") -> HttpResponse:
        context = {"code": code, "mine": tracking.citizen_dossiers(citizen)[:20] if citizen else [], "error": error}
        return render(request, "portal/track/lookup.html", context, status=status)

    if request.method == "GET":
        code = tracking.normalise_code(request.GET.get("ma", ""))
        if code and _dossier_or_none(request, code) is not None:
            return redirect("portal:track-dossier", code=code)
        return form(code)
    code = request.POST.get("code", "")
    try:
        dossier = tracking.find(code, request.POST.get("secret", ""), client=_client(request))
    except tracking.TrackingError as exc:
        return form(tracking.normalise_code(code), exc.status, exc.message)
    response = redirect("portal:track-dossier", code=dossier.code)
    tracking.remember(request, response, dossier, citizen)
    return response


def _page(request, dossier, *, status: int = 200, error: str = "", values: dict | None = None) -> HttpResponse:
    dossier.refresh_from_db()
    step = tracking.next_step(dossier)
    rating = Rating.objects.filter(dossier=dossier).first()
    context = {
        "dossier": dossier,
        "procedure": dossier.procedure_version.procedure.name,
        "now_text": tracking.current_step(dossier),
        "due": tracking.when(tracking.due_time(dossier)),
        "next": step,
        "items": list(enumerate(step.items)),
        "timeline": tracking.timeline(dossier),
        "payments": tracking.payment_state(dossier),
        "fees": tracking.fee_lines(dossier),
        "forms": tracking.issued_forms(dossier),
        "results": list(tracking.result_documents(dossier)),
        "can_supply": tracking.can_supply(dossier),
        "can_withdraw": tracking.can_withdraw(dossier),
        "can_pay": step.kind == "pay",
        "rating": rating,
        "can_rate": rating is None and dossier.state == "returned",
        "levels": Rating.Level.choices,
        "error": error,
        "values": values or {},
    }
    return render(request, "portal/track/dossier.html", context, status=status)


@never_cache
@require_GET
def dossier_page(request, code: str):
    """/tra-cuu/ho-so/<code>/: the timeline, where it is, the due time, what to do next, papers."""
    dossier = _dossier_or_none(request, code)
    if dossier is None:
        return _not_found(request)
    return _page(request, dossier)


@require_POST
def supply(request, code: str):
    """Upload the missing items (one file per item) and hand them in: the clock resumes."""
    dossier = _dossier_or_none(request, code)
    if dossier is None:
        return _not_found(request)
    files = {}
    for name, upload in request.FILES.items():
        if name.startswith("item-") and name[5:].isdigit():
            files[int(name[5:])] = upload
    try:
        tracking.supply_items(dossier, files, request.POST.get("note", ""))
    except tracking.TrackingError as exc:
        return _page(request, dossier, status=exc.status, error=exc.message, values={"note": request.POST.get("note", "")})
    messages.success(request, _("Đã gửi giấy tờ bổ sung. Hồ sơ được giải quyết tiếp."))
    return redirect("portal:track-dossier", code=dossier.code)


@require_POST
def withdraw(request, code: str):
    dossier = _dossier_or_none(request, code)
    if dossier is None:
        return _not_found(request)
    try:
        tracking.withdraw(dossier, request.POST.get("reason", ""))
    except tracking.TrackingError as exc:
        return _page(request, dossier, status=exc.status, error=exc.message, values={"reason": request.POST.get("reason", "")})
    messages.success(request, _("Đã rút hồ sơ. Cơ quan giải quyết sẽ không xử lý tiếp hồ sơ này."))
    return redirect("portal:track-dossier", code=dossier.code)


@require_POST
def pay(request, code: str):
    """Thanh toán trực tuyến: open a transaction with the payment platform and go there."""
    from motcua.payments import providers
    from motcua.payments import services as payments

    dossier = _dossier_or_none(request, code)
    if dossier is None:
        return _not_found(request)
    return_url = request.build_absolute_uri(reverse("payments:return"))
    try:
        payment = payments.start(dossier, ip=_client(request), return_url=return_url)
    except payments.PaymentRefused as exc:
        return _page(request, dossier, status=409, error=str(exc))
    except providers.PaymentError as exc:
        incident = uuid.uuid4().hex[:8]
        log.warning("payment start failed for %s (incident %s): %s", dossier.code, incident, exc)
        return _page(
            request, dossier, status=502,
            error=_("Chưa kết nối được nền tảng thanh toán (%(why)s). Hãy thử lại sau ít phút; nếu vẫn không được, "
                    "báo bộ phận một cửa mã sự cố %(incident)s.") % {"why": exc, "incident": incident},
        )
    return redirect(payment.pay_url)


@require_POST
def rate(request, code: str):
    """Rất hài lòng / Hài lòng / Không hài lòng and a comment, once, after the result was returned."""
    dossier = _dossier_or_none(request, code)
    if dossier is None:
        return _not_found(request)
    try:
        feedback_services.rate(dossier, request.POST.get("level", ""), request.POST.get("comment", ""))
    except feedback_services.FeedbackError as exc:
        return _page(request, dossier, status=exc.status, error=exc.message, values={"comment": request.POST.get("comment", "")})
    messages.success(request, _("Cảm ơn ông/bà đã đánh giá."))
    return redirect("portal:track-dossier", code=dossier.code)


@require_GET
def form(request, code: str, number: str):
    """Form 01, 02 or 04 of a tracked dossier, as a PDF download."""
    dossier = _dossier_or_none(request, code)
    if dossier is None:
        return _not_found(request)
    try:
        content = tracking.form_pdf(dossier, number)
    except tracking.TrackingError as exc:
        return _problem(request, exc.message, exc.status)
    return _attachment(content, PDF, f"{dossier.code}-mau-{number}.pdf")


@require_GET
def result(request, code: str, pk: int):
    """An electronic result document of a tracked dossier."""
    dossier = _dossier_or_none(request, code)
    if dossier is None:
        return _not_found(request)
    document = tracking.result_documents(dossier).filter(pk=pk).first()
    if document is None:
        return _problem(request, _("Không có tệp kết quả này."), 404)
    response = FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def receipt(request, code: str, reference: str):
    """The electronic receipt of a payment of a tracked dossier."""
    dossier = _dossier_or_none(request, code)
    if dossier is None:
        return _not_found(request)
    try:
        pdf = tracking.payment_receipt(dossier, reference)
    except tracking.TrackingError as exc:
        return _problem(request, exc.message, exc.status)
    return _attachment(pdf, "application/pdf", f"bien-lai-{reference}.pdf")
