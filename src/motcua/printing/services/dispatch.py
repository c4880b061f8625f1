"""A dossier's form by its number ("01"…"05", "dung")."""

from __future__ import annotations

from django.utils.translation import gettext as _

from motcua.dossiers.models import Dossier

from .apology import apology_pdf
from .common import FormNotApplicable
from .control_slip import control_slip_pdf
from .receipt import receipt_pdf
from .refusal import refusal_pdf
from .stop_notice import stop_notice_pdf
from .supplement_request import supplement_request_pdf

DOSSIER_FORMS = {
    "01": receipt_pdf,
    "02": supplement_request_pdf,
    "03": refusal_pdf,
    "04": apology_pdf,
    "05": control_slip_pdf,
    "dung": stop_notice_pdf,
}


def dossier_form_pdf(dossier: Dossier, form: str) -> bytes:
    """The form `form` ("01"…"05", or "dung" for the stop notice) of a dossier, as PDF bytes."""
    builder = DOSSIER_FORMS.get(form)
    if builder is None:
        raise FormNotApplicable(
            _("Không có biểu mẫu '%(form)s'; các biểu mẫu của hồ sơ: %(known)s.")
            % {"form": form, "known": ", ".join(DOSSIER_FORMS)}
        )
    return builder(dossier)
