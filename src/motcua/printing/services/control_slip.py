"""Mẫu 05: Phiếu kiểm soát quá trình giải quyết hồ sơ."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.models import Dossier, Pause, State
from motcua.org.roles import Role

from .common import (
    TIMING_LABELS,
    FormNotApplicable,
    _base_context,
    _event,
    _person,
    format_clock,
    format_short,
    in_form_language,
    render_pdf,
)

# ---------------------------------------------------------------- Mẫu 05


@dataclass
class ControlRow:
    order: int
    step: str
    giver_agency: str
    giver: str
    receiver_agency: str
    receiver: str
    handed_at: str
    due_at: str
    ended_at: str
    timing: str
    notes: list[str] = field(default_factory=list)


def control_rows(dossier: Dossier) -> list[ControlRow]:
    """One row per hand-over: who handed the dossier to whom, when, the step's due time, when it was
    done and whether that was early, on time or late; pauses and a stop in the notes."""
    steps = list(dossier.steps.select_related("agency", "received_by", "handed_over_by", "assignee").order_by("order", "started_at"))
    pauses = list(dossier.pauses.select_related("agency").order_by("started_at"))
    closing = {e.at: e for e in dossier.events.filter(action__in=("stop", "withdraw"))}
    now = timezone.now()
    rows = []
    previous = None
    for s in steps:
        role = str(Role(s.role).label) if s.role in Role.values else ""
        if previous is None:
            giver_agency, giver = _("Người nộp hồ sơ"), dossier.applicant_name
            receiver = _person(s.received_by, role)
        else:
            giver_agency = previous.agency.name
            giver = _person(previous.handed_over_by or s.received_by)
            # Who did the step: the one who handed it on; while open, the person it was given to, if any.
            receiver = _person(s.handed_over_by, role) if s.ended_at else _person(s.assignee, role)
        if s.ended_at is not None:
            timing = str(TIMING_LABELS.get(s.timing, ""))
        elif s.due_at is not None and s.due_at < now and dossier.state not in (State.STOPPED, State.WITHDRAWN):
            timing = _("Đang xử lý, đã quá hạn")
        else:
            timing = _("Đang xử lý")
        notes = []
        for p in pauses:
            if p.started_at >= s.started_at and (s.ended_at is None or p.started_at < s.ended_at):
                label = Pause.Kind(p.kind).label
                if p.agency_id:
                    label = f"{label} ({p.agency.name})"
                until = format_short(p.ended_at) if p.ended_at else _("nay")
                notes.append(_("Tạm dừng: %(kind)s, từ %(start)s đến %(end)s") % {
                    "kind": label, "start": format_short(p.started_at), "end": until,
                })
        if s.ended_at is not None and s.ended_at in closing:
            e = closing[s.ended_at]
            what = _("Dừng xử lý") if e.action == "stop" else _("Người nộp rút hồ sơ")
            notes.append(f"{what}: {e.reason}" if e.reason else what)
        rows.append(
            ControlRow(
                order=s.order,
                step=s.name,
                giver_agency=giver_agency,
                giver=giver,
                receiver_agency=s.agency.name,
                receiver=receiver,
                handed_at=format_short(s.started_at),
                due_at=format_short(s.due_at) if s.due_at else _("Không quy định"),
                ended_at=format_short(s.ended_at),
                timing=timing,
                notes=notes,
            )
        )
        previous = s
    return rows


@in_form_language
def control_slip_pdf(dossier: Dossier) -> bytes:
    """Mẫu 05: the process-control slip, one row per hand-over with early / on time / late."""
    if dossier.received_at is None or not dossier.steps.exists():
        raise FormNotApplicable(
            _("Hồ sơ %(code)s chưa được tiếp nhận nên chưa có Phiếu kiểm soát quá trình giải quyết (Mẫu 05).")
            % {"code": dossier.code}
        )
    finish = _event(dossier, "finish")
    coordinating = sorted(
        {p.agency.name for p in dossier.pauses.select_related("agency") if p.kind == Pause.Kind.VERIFICATION and p.agency_id}
    )
    context = _base_context(
        dossier, dossier.receiving_agency, timezone.now(), "05", _("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ")
    ) | {
        "rows": control_rows(dossier),
        "competent_agency": dossier.competent_agency.name,
        "coordinating": coordinating,
        "received_at": format_clock(dossier.received_at),
        "due_at": format_clock(dossier.due_at) if dossier.due_at else _("Không quy định"),
        "result_timing": str(TIMING_LABELS.get(finish.data.get("timing", ""), "")) if finish else "",
        "finished_at": format_clock(dossier.finished_at),
        "state": dossier.get_state_display(),
    }
    return render_pdf("printing/form_05.html", context)
