"""Mẫu 03: Phiếu từ chối tiếp nhận, giải quyết hồ sơ."""

from __future__ import annotations

from django.utils.translation import gettext as _

from motcua.dossiers.models import Dossier

from .common import FormNotApplicable, _base_context, _event, format_clock, in_form_language, render_pdf

# ---------------------------------------------------------------- Mẫu 03


@in_form_language
def refusal_pdf(dossier: Dossier) -> bytes:
    """Mẫu 03: the refusal to receive and settle the dossier, with its reason."""
    event = _event(dossier, "refuse")
    if event is None:
        raise FormNotApplicable(
            _("Hồ sơ %(code)s không bị từ chối tiếp nhận nên không có Phiếu từ chối (Mẫu 03).") % {"code": dossier.code}
        )
    context = _base_context(
        dossier, dossier.receiving_agency, event.at, "03", _("PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ")
    ) | {
        "reason": event.reason,
        "officer": event.actor_name,
        "submitted_at": format_clock(dossier.submitted_at),
    }
    return render_pdf("printing/form_03.html", context)
