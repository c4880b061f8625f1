"""Mẫu 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."""

from __future__ import annotations

from django.utils.translation import gettext as _

from motcua.dossiers.models import Dossier

from .common import (
    FormNotApplicable,
    _base_context,
    _event,
    _parse_iso,
    format_clock,
    in_form_language,
    render_pdf,
)

# ---------------------------------------------------------------- Mẫu 02


@in_form_language
def supplement_request_pdf(dossier: Dossier) -> bytes:
    """Mẫu 02: every item the applicant must add or correct, each with its reason, from the latest
    request (before reception: request_completion; during processing: request_supplement)."""
    event = _event(dossier, "request_completion", "request_supplement")
    if event is None:
        raise FormNotApplicable(
            _("Hồ sơ %(code)s chưa có yêu cầu bổ sung, hoàn thiện nào nên không có Phiếu yêu cầu bổ sung (Mẫu 02).")
            % {"code": dossier.code}
        )
    by_name = {c.name.strip().lower(): c for c in dossier.components.all()}
    items = []
    for item in event.data.get("items", []):
        component = by_name.get(item["name"].strip().lower())
        items.append(
            {
                "name": item["name"],
                "reason": item["reason"],
                "originals": component.originals if component else None,
                "certified_copies": component.certified_copies if component else None,
                "photocopies": component.photocopies if component else None,
            }
        )
    during_processing = event.action == "request_supplement"
    issuer = dossier.receiving_agency
    context = _base_context(dossier, issuer, event.at, "02", _("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ")) | {
        "items": items,
        "during_processing": during_processing,
        "requested_at": format_clock(event.at),
        "answer_due_at": format_clock(_parse_iso(event.data.get("answer_due_at"))),
        "guide": event.actor_name,
        "guide_phone": event.actor.phone if event.actor_id and event.actor else "",
        "guide_agency": (dossier.competent_agency if during_processing else issuer).name,
        "received_at": format_clock(dossier.received_at),
    }
    return render_pdf("printing/form_02.html", context)
