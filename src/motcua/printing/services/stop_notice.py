"""Thông báo dừng giải quyết hồ sơ (TT 03/2025/TT-VPCP)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from motcua.dossiers.models import Dossier

from .common import FormNotApplicable, _base_context, _event, format_clock, in_form_language, render_pdf

# ---------------------------------------------------------------- stop notice


@in_form_language
def stop_notice_pdf(dossier: Dossier) -> bytes:
    """Thông báo dừng giải quyết hồ sơ: the authority stopped (action "stop") or the applicant withdrew
    (action "withdraw") before a result was issued; the reason comes from that event."""
    event = _event(dossier, "stop", "withdraw")
    if event is None:
        raise FormNotApplicable(
            _("Hồ sơ %(code)s không bị dừng giải quyết nên không có Thông báo dừng giải quyết hồ sơ.")
            % {"code": dossier.code}
        )
    stopped = event.action == "stop"
    issuer = dossier.competent_agency if stopped else dossier.receiving_agency
    context = _base_context(dossier, issuer, event.at, "", _("THÔNG BÁO")) | {
        "subtitle": _("Về việc dừng giải quyết hồ sơ"),
        "stopped_by_authority": stopped,
        "reason": event.reason,
        "stopped_at": format_clock(event.at),
        "received_at": format_clock(dossier.received_at),
        "signer": event.actor_name,
    }
    return render_pdf("printing/form_stop.html", context)
