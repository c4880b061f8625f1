"""PDF forms of a dossier and the ledger (Sổ theo dõi hồ sơ). Thin: services build the documents,
selectors decide what the user may see."""

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.dossiers.selectors import dossier_for

from . import selectors, services

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _problem(request, message: str, status: int) -> HttpResponse:
    return render(request, "printing/problem.html", {"message": message}, status=status)


def _document(content: bytes, content_type: str, filename: str, disposition: str = "inline") -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"  # personal data
    return response


@require_GET
def dossier_form(request, code: str, form: str):
    """/in/ho-so/<code>/mau-<form>.pdf: form 01–05 or "dung" (stop notice) of a dossier the user may see."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    dossier = dossier_for(request.user, code)
    if dossier is None:
        return _problem(request, _("Không tìm thấy hồ sơ %(code)s.") % {"code": code}, 404)
    try:
        content = services.dossier_form_pdf(dossier, form)
    except services.PrintingError as exc:
        return _problem(request, exc.message, exc.status)
    return _document(content, PDF, f"{dossier.code}-mau-{form}.pdf")


@require_GET
def ledger(request, agency_id: int, fmt: str):
    """/in/so-theo-doi/<agency_id>.pdf|xlsx?tu=dd/mm/yyyy&den=dd/mm/yyyy: the agency's ledger (Mẫu 06)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    agency = selectors.ledger_agency(request.user, agency_id)
    if agency is None or fmt not in ("pdf", "xlsx"):
        return _problem(request, _("Không tìm thấy sổ theo dõi hồ sơ của đơn vị này."), 404)
    try:
        start, end = services.ledger_period(request.GET.get("tu"), request.GET.get("den"))
        if fmt == "pdf":
            content, content_type, disposition = services.ledger_pdf(request.user, agency, start, end), PDF, "inline"
        else:
            content, content_type, disposition = services.ledger_xlsx(request.user, agency, start, end), XLSX, "attachment"
    except services.PrintingError as exc:
        return _problem(request, exc.message, exc.status)
    filename = f"so-theo-doi-{agency.identifier_code}-{start:%Y%m%d}-{end:%Y%m%d}.{fmt}"
    return _document(content, content_type, filename, disposition)
