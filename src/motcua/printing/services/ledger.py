"""Mẫu 06: Sổ theo dõi hồ sơ, its period, its rows and the PDF."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.calendar.services import local_zone
from motcua.dossiers.models import Channel, Dossier, State

from .common import (
    TIMING_LABELS,
    BadPeriod,
    _header,
    date_line,
    format_date,
    in_form_language,
    local,
    place_name,
    render_pdf,
)

# A PDF ledger longer than this takes minutes to lay out; the spreadsheet has no such limit.
LEDGER_PDF_MAX_ROWS = 3000
LEDGER_MAX_DAYS = 366


# ---------------------------------------------------------------- Mẫu 06: the ledger


def parse_date(text: str | None, label: str) -> date:
    """A dd/mm/yyyy date typed by an official; BadPeriod says what was expected."""
    try:
        day = datetime.strptime((text or "").strip(), "%d/%m/%Y").date()
    except ValueError:
        raise BadPeriod(
            _("%(label)s '%(value)s' không đúng định dạng; hãy nhập ngày theo dạng dd/mm/yyyy, ví dụ 16/11/2026.")
            % {"label": label, "value": text or ""}
        ) from None
    if not 2000 <= day.year <= 2100:
        raise BadPeriod(_("%(label)s phải là một ngày từ năm 2000 đến năm 2100.") % {"label": label})
    return day


def ledger_period(start_text: str | None, end_text: str | None, *, today: date | None = None) -> tuple[date, date]:
    """The ledger's period from the query (?tu=…&den=…); without them, the current month up to today."""
    today = today or timezone.localdate()
    start = parse_date(start_text, _("Từ ngày")) if start_text else today.replace(day=1)
    end = parse_date(end_text, _("Đến ngày")) if end_text else today
    if end < start:
        raise BadPeriod(
            _("Đến ngày (%(end)s) phải sau hoặc bằng từ ngày (%(start)s).")
            % {"start": format_date(start), "end": format_date(end)}
        )
    if (end - start).days + 1 > LEDGER_MAX_DAYS:
        raise BadPeriod(
            _("Mỗi lần chỉ lấy sổ theo dõi tối đa %(days)s ngày; hãy chọn khoảng ngày ngắn hơn.") % {"days": LEDGER_MAX_DAYS}
        )
    return start, end


@dataclass
class LedgerRow:
    number: int
    code: str
    procedure: str
    sets: int
    applicant: str
    address_phone: str
    competent_agency: str
    received_at: datetime | None
    due_at: datetime | None
    transferred_at: datetime | None
    result_at: datetime | None
    returned_at: datetime | None
    receiver: str
    note: str


LEDGER_COLUMNS = [
    gettext_lazy("STT"),
    gettext_lazy("Mã hồ sơ"),
    gettext_lazy("Tên thủ tục hành chính"),
    gettext_lazy("Số lượng hồ sơ (bộ)"),
    gettext_lazy("Tên cá nhân, tổ chức"),
    gettext_lazy("Địa chỉ, số điện thoại"),
    gettext_lazy("Cơ quan chủ trì giải quyết"),
    gettext_lazy("Nhận hồ sơ"),
    gettext_lazy("Hẹn trả kết quả"),
    gettext_lazy("Chuyển hồ sơ đến cơ quan giải quyết"),
    gettext_lazy("Nhận kết quả từ cơ quan giải quyết"),
    gettext_lazy("Trả kết quả cho cá nhân, tổ chức"),
    gettext_lazy("Ký nhận"),
    gettext_lazy("Ghi chú"),
]
# The five date columns sit under one heading "Ngày, tháng, năm".
LEDGER_DATE_COLUMNS = range(7, 12)


def _ledger_note(d: Dossier, events: dict) -> str:
    notes = []
    if d.state == State.STOPPED:
        e = events.get("stop")
        notes.append(_("Dừng xử lý") + (f": {e.reason}" if e and e.reason else ""))
    elif d.state == State.WITHDRAWN:
        e = events.get("withdraw")
        notes.append(_("Người nộp rút hồ sơ") + (f": {e.reason}" if e and e.reason else ""))
    finish = events.get("finish")
    if finish and finish.data.get("timing") in TIMING_LABELS:
        notes.append(_("Giải quyết %(timing)s") % {"timing": str(TIMING_LABELS[finish.data["timing"]]).lower()})
    if d.rescheduled_due_at:
        notes.append(_("Đã xin lỗi, hẹn lại ngày %(date)s") % {"date": format_date(d.rescheduled_due_at)})
    if d.state in (State.AWAITING_SUPPLEMENT,):
        notes.append(_("Chờ bổ sung hồ sơ"))
    if d.channel != Channel.DIRECT:
        notes.append(str(Channel(d.channel).label))
    return "; ".join(notes)


def ledger_rows(user, agency, start: date, end: date) -> list[LedgerRow]:
    """The dossiers `agency` received from `start` to `end` (local dates, both included) that `user`
    may see, in order of reception, with the ledger's columns (TT 01/2018 Mẫu 06, §2.1)."""
    from motcua.dossiers.selectors import visible_dossiers

    zone = local_zone()
    since = datetime.combine(start, datetime.min.time(), tzinfo=zone)
    until = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    dossiers = (
        visible_dossiers(user)
        .filter(receiving_agency=agency, received_at__gte=since, received_at__lt=until)
        .prefetch_related("steps", "events")
        .order_by("received_at", "pk")
    )
    rows = []
    for number, d in enumerate(dossiers, start=1):
        events = {}
        for e in sorted(d.events.all(), key=lambda e: e.seq):
            events[e.action] = e  # the latest of each action
        later_steps = sorted((s for s in d.steps.all() if s.order > 1), key=lambda s: (s.order, s.started_at))
        returned = events.get("return_result")
        contact = ", ".join(x for x in (d.address, d.phone) if x)
        rows.append(
            LedgerRow(
                number=number,
                code=d.code,
                procedure=d.procedure_version.procedure.name,
                sets=1,
                applicant=d.applicant_name,
                address_phone=contact,
                competent_agency=d.competent_agency.name,
                received_at=d.received_at,
                due_at=d.due_at,
                transferred_at=later_steps[0].started_at if later_steps else None,
                result_at=d.finished_at,
                returned_at=d.returned_at,
                receiver=(returned.data.get("receiver_name") or "") if returned else "",
                note=_ledger_note(d, events),
            )
        )
    return rows


def _ledger_context(agency, start, end, rows) -> dict:
    return {
        "issuer": _header(agency),
        "title": _("SỔ THEO DÕI HỒ SƠ"),
        "form_number": "06",
        "start": format_date(start),
        "end": format_date(end),
        "place": place_name(agency),
        "date_line": date_line(timezone.localdate()),
        "columns": LEDGER_COLUMNS,
        "rows": [
            {
                "number": r.number,
                "code": r.code,
                "procedure": r.procedure,
                "sets": f"{r.sets:02d}",
                "applicant": r.applicant,
                "address_phone": r.address_phone,
                "competent_agency": r.competent_agency,
                "dates": [
                    (format_date(x), f"{local(x):%H:%M}" if x else "")
                    for x in (r.received_at, r.due_at, r.transferred_at, r.result_at, r.returned_at)
                ],
                "receiver": r.receiver,
                "note": r.note,
            }
            for r in rows
        ],
    }


@in_form_language
def ledger_pdf(user, agency, start: date, end: date) -> bytes:
    """Mẫu 06 as PDF (A4 landscape). Refused (BadPeriod) above LEDGER_PDF_MAX_ROWS rows."""
    rows = ledger_rows(user, agency, start, end)
    if len(rows) > LEDGER_PDF_MAX_ROWS:
        raise BadPeriod(
            _("Sổ có %(count)s hồ sơ, quá nhiều để in một lần (tối đa %(max)s); hãy chọn khoảng ngày ngắn hơn "
              "hoặc tải bản Excel.") % {"count": f"{len(rows):,}".replace(",", "."), "max": f"{LEDGER_PDF_MAX_ROWS:,}".replace(",", ".")}
        )
    return render_pdf("printing/form_06.html", _ledger_context(agency, start, end, rows))
