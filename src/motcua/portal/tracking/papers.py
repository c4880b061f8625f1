"""The papers issued to the citizen (forms 01, 02, 04, as printing decides) and the result documents."""

from __future__ import annotations

from django.utils.translation import gettext as _

from motcua.documents.models import Document
from motcua.dossiers.models import Dossier, ReturnMethod, State
from motcua.printing import services as printing
from motcua.printing.selectors import CITIZEN_FORMS, applicable_forms

from .common import TrackingError

# ---------------------------------------------------------------- papers issued

# The forms a citizen receives: 01 receipt, 02 supplement request, 04 apology.
FORMS = {
    "01": lambda: _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01)"),
    "02": lambda: _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02)"),
    "04": lambda: _("Phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04)"),
}


def issued_forms(dossier: Dossier) -> list[tuple[str, str]]:
    """(form number, title) of the papers the history supports (printing decides which apply)."""
    return [(n, FORMS[n]()) for n in applicable_forms(dossier, for_citizen=True)]


def form_pdf(dossier: Dossier, form: str) -> bytes:
    """The PDF of form 01, 02 or 04; TrackingError (404) for any other or one not issued."""
    if form not in CITIZEN_FORMS:
        raise TrackingError(_("Không có giấy tờ này."), status=404)
    try:
        return printing.dossier_form_pdf(dossier, form)
    except printing.FormNotApplicable as exc:
        raise TrackingError(exc.message, status=404) from None


def result_documents(dossier: Dossier):
    """The electronic result documents the citizen may download: once the result is returned, or ready
    to be returned electronically."""
    ready = dossier.state == State.RETURNED or (
        dossier.state == State.RESULT_READY and dossier.return_method == ReturnMethod.ELECTRONIC
    )
    if not ready:
        return Document.objects.none()
    return dossier.documents.filter(kind=Document.Kind.RESULT).order_by("uploaded_at", "pk")
