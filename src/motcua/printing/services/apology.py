"""Mẫu 04: Phiếu xin lỗi và hẹn lại ngày trả kết quả."""

from __future__ import annotations

from django.utils.translation import gettext as _

from motcua.dossiers.models import Dossier, ReturnMethod

from .common import (
    FormNotApplicable,
    _base_context,
    _event,
    _parse_iso,
    format_clock,
    format_date,
    in_form_language,
    render_pdf,
)

# ---------------------------------------------------------------- Mẫu 04


@in_form_language
def apology_pdf(dossier: Dossier) -> bytes:
    """Mẫu 04: the late agency's apology with the reason and the new return date (given once)."""
    event = _event(dossier, "apologise")
    if event is None:
        raise FormNotApplicable(
            _("Hồ sơ %(code)s chưa có văn bản xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04).") % {"code": dossier.code}
        )
    new_due = _parse_iso(event.data.get("new_due_at"))
    old_due = _parse_iso(event.data.get("old_due_at"))
    late_agency = dossier.competent_agency
    if dossier.return_method == ReturnMethod.COUNTER:
        return_place = dossier.receiving_agency.name
    else:
        return_place = ReturnMethod(dossier.return_method).label
    context = _base_context(
        dossier, late_agency, event.at, "04", _("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ")
    ) | {
        "receiving_agency": dossier.receiving_agency.name,
        "received_at": format_clock(dossier.received_at),
        "old_due_at": format_clock(old_due),
        "new_due_at": format_clock(new_due),
        "new_due_date": format_date(new_due),
        "reason": event.reason,
        "return_place": return_place,
        "signer": event.actor_name,
        "signer_position": event.actor.position if event.actor_id and event.actor else "",
    }
    return render_pdf("printing/form_04.html", context)
