"""The official forms of the one-stop mechanism as PDF documents (and the ledger as a spreadsheet).

Numbering follows TT 01/2018/TT-VPCP, the set provinces still print (domain-vn.md §2.1):

- Mẫu 01 `receipt_pdf`: Giấy tiếp nhận hồ sơ và hẹn trả kết quả
- Mẫu 02 `supplement_request_pdf`: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ
- Mẫu 03 `refusal_pdf`: Phiếu từ chối tiếp nhận, giải quyết hồ sơ
- Mẫu 04 `apology_pdf`: Phiếu xin lỗi và hẹn lại ngày trả kết quả
- Mẫu 05 `control_slip_pdf`: Phiếu kiểm soát quá trình giải quyết hồ sơ
- `stop_notice_pdf`: Thông báo dừng giải quyết hồ sơ (a form of TT 03/2025/TT-VPCP, §1.3 E)
- Mẫu 06 `ledger_pdf` / `ledger_xlsx`: Sổ theo dõi hồ sơ

Every function reads what happened from the dossier's history (events, steps, pauses) and never writes.
A form that the history does not support (a refusal slip for a dossier never refused) raises
FormNotApplicable with a Vietnamese message. The caller decides who may see the dossier
(dossiers.selectors); the ledger functions take the user and read through visible_dossiers().

PDFs are rendered from Django templates with WeasyPrint (imported lazily, so the app loads on a machine
without Pango) in Vietnamese, whatever language the caller's page is in: the forms are legal papers.
"""

from __future__ import annotations

import base64
import functools
import io
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua import spreadsheets
from motcua.calendar.services import local_zone
from motcua.catalog.models import FeeLine
from motcua.dossiers.models import Channel, Dossier, Pause, ReturnMethod, State
from motcua.org.roles import Role

FORM_LANGUAGE = "vi"
# A PDF ledger longer than this takes minutes to lay out; the spreadsheet has no such limit.
LEDGER_PDF_MAX_ROWS = 3000
LEDGER_MAX_DAYS = 366

# Step and dossier timing as the control slip words it (trước hạn / đúng hạn / quá hạn).
TIMING_LABELS = {
    "early": gettext_lazy("Trước hạn"),
    "on_time": gettext_lazy("Đúng hạn"),
    "late": gettext_lazy("Quá hạn"),
}


class PrintingError(Exception):
    """A form or ledger that cannot be produced; `message` says why, in Vietnamese."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class FormNotApplicable(PrintingError):
    """The dossier's history does not call for this form."""

    status = 404


class BadPeriod(PrintingError):
    """The ledger's date range is malformed or too long."""


# ---------------------------------------------------------------- formatting


def local(moment: datetime | None) -> datetime | None:
    return timezone.localtime(moment) if moment is not None else None


def format_date(moment) -> str:
    """dd/mm/yyyy."""
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        moment = local(moment)
    return moment.strftime("%d/%m/%Y")


def format_clock(moment: datetime | None) -> str:
    """'09 giờ 00 phút, ngày 16/11/2026' as the receipt words times."""
    if moment is None:
        return ""
    m = local(moment)
    return _("%(hour)s giờ %(minute)s phút, ngày %(date)s") % {
        "hour": f"{m:%H}",
        "minute": f"{m:%M}",
        "date": f"{m:%d/%m/%Y}",
    }


def format_short(moment: datetime | None) -> str:
    """'09:00 16/11/2026' for tables."""
    return f"{local(moment):%H:%M %d/%m/%Y}" if moment is not None else ""


def date_line(moment) -> str:
    """'ngày 05 tháng 02 năm 2026': days below 10 and months 1 and 2 take a leading zero (NĐ 30/2020)."""
    d = local(moment).date() if isinstance(moment, datetime) else moment
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return _("ngày %(day)s tháng %(month)s năm %(year)s") % {"day": f"{d.day:02d}", "month": month, "year": d.year}


# Form 01 reads "Đăng ký nhận kết quả tại: …", so the place, not the method's own label ("Tại …").
RECEIPT_RETURN_PLACE = {
    ReturnMethod.COUNTER: gettext_lazy("bộ phận tiếp nhận và trả kết quả"),
    ReturnMethod.POST: gettext_lazy("địa chỉ đăng ký, qua dịch vụ bưu chính công ích"),
    ReturnMethod.ELECTRONIC: gettext_lazy("tài khoản trên Cổng dịch vụ công (bản điện tử)"),
}


def money(amount: int | None) -> str:
    """20000 → '20.000 đồng'."""
    if amount is None:
        return ""
    return f"{amount:,}".replace(",", ".") + " " + _("đồng")


def place_name(agency) -> str:
    """The place in the date line: the agency's area without its type ('Phường Hạc Thành' → 'Hạc Thành')."""
    area = agency.area
    name = area.name.strip()
    kind = (area.division_type or "").strip()
    if kind and name.lower().startswith(kind.lower() + " "):
        name = name[len(kind) + 1 :]
    return name


def tracking_url(dossier: Dossier) -> str:
    """The public status page of a dossier (the same link the notifications carry)."""
    return f"{settings.MOTCUA_PUBLIC_URL}/tra-cuu/?ma={dossier.code}"


def qr_svg_data_uri(text: str) -> str:
    """A QR code of `text` as an SVG data URI (for an <img> in the PDF templates)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2,
                         error_correction=qrcode.constants.ERROR_CORRECT_M)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _person(user, fallback: str = "") -> str:
    return str(user) if user is not None else fallback


def _header(agency) -> dict:
    """The left-hand heading: the body above and the issuing unit."""
    return {"parent": agency.parent.name if agency.parent_id else "", "name": agency.name}


# ---------------------------------------------------------------- rendering


def render_pdf(template_name: str, context: dict, *, language: str = FORM_LANGUAGE) -> bytes:
    """Render a template under printing/templates to PDF bytes with WeasyPrint."""
    with translation.override(language):
        html = render_to_string(template_name, context)
    # WeasyPrint logs every layout step at INFO (some at import); keep the server log for what matters.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    from weasyprint import HTML  # lazy: needs Pango, which the web process may not have

    return HTML(string=html).write_pdf()


def in_form_language(builder):
    """Build the whole form in Vietnamese (labels, dates, messages), whatever the page's language."""

    @functools.wraps(builder)
    def wrapper(*args, **kwargs):
        with translation.override(FORM_LANGUAGE):
            return builder(*args, **kwargs)

    return wrapper


def _event(dossier: Dossier, *actions: str):
    """The latest event of one of `actions`, or None."""
    return dossier.events.filter(action__in=actions).order_by("-seq").first()


def _parse_iso(value) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value)


def _applicant(dossier: Dossier) -> dict:
    return {
        "name": dossier.applicant_name,
        "organisation": dossier.applicant_kind == "organisation",
        "personal_id": dossier.personal_id,
        "old_id_number": "" if dossier.personal_id else dossier.old_id_number,
        "tax_code": dossier.tax_code,
        "representative_name": dossier.representative_name,
        "representative_id": dossier.representative_id,
        "address": dossier.address,
        "phone": dossier.phone,
        "email": dossier.email,
    }


def _request_content(dossier: Dossier) -> str:
    procedure = dossier.procedure_version.procedure.name
    case = dossier.case.name
    text = procedure if case.strip().lower() == procedure.strip().lower() else f"{procedure} ({case})"
    return text


def _base_context(dossier: Dossier, issuer, moment, form_number: str, title: str) -> dict:
    return {
        "dossier": dossier,
        "code": dossier.code,
        "form_number": form_number,
        "title": title,
        "issuer": _header(issuer),
        "issuer_name": issuer.name,
        "place": place_name(issuer),
        "date_line": date_line(moment),
        "applicant": _applicant(dossier),
        "request_content": _request_content(dossier),
        "summary": dossier.summary if dossier.summary and dossier.summary != dossier.procedure_version.procedure.name else "",
    }


# ---------------------------------------------------------------- Mẫu 01


def promised_at_reception(dossier: Dossier) -> datetime | None:
    """The return time promised on the receipt: the due time before any later pause, calendar change or
    apology moved it (the first recorded change keeps the old value; with none, it is the current one)."""
    for event in dossier.events.order_by("seq"):
        data = event.data or {}
        if isinstance(data.get("due_at"), dict) and data["due_at"].get("old"):
            return _parse_iso(data["due_at"]["old"])
        if event.action in ("recompute_due", "apologise") and data.get("old_due_at"):
            return _parse_iso(data["old_due_at"])
    return dossier.due_at


@in_form_language
def receipt_pdf(dossier: Dossier) -> bytes:
    """Mẫu 01: the receipt with the promised return time, the components handed in, the fees, the
    receiving officer and a QR code of the public tracking page."""
    if dossier.received_at is None:
        raise FormNotApplicable(
            _("Hồ sơ %(code)s chưa được tiếp nhận nên chưa có Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01).")
            % {"code": dossier.code}
        )
    received = _event(dossier, "receive")
    online = dossier.channel == Channel.ONLINE
    components = [
        {
            "name": c.name,
            "originals": c.originals,
            "certified_copies": c.certified_copies,
            "photocopies": c.photocopies,
            "national_data": c.from_national_data and not c.provided,
        }
        for c in dossier.components.order_by("component__order", "pk")
        if c.provided or c.from_national_data
    ]
    fees = [
        {
            "name": f.name,
            "amount": money(f.amount),
            "mode": FeeLine.Mode(f.mode).label if f.mode in FeeLine.Mode.values else f.mode,
            "paid": format_date(f.paid_at),
        }
        for f in dossier.fees.order_by("pk")
    ]
    url = tracking_url(dossier)
    promised = promised_at_reception(dossier)
    context = _base_context(
        dossier, dossier.receiving_agency, dossier.received_at, "01", _("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ")
    ) | {
        "components": components,
        "fees": fees,
        "fee_total": money(sum(f.amount for f in dossier.fees.all())) if len(fees) > 1 else "",
        "time_limit": dossier.case.time_limit_text(online),
        "received_at": format_clock(dossier.received_at),
        "promised_at": format_clock(promised) if promised else "",
        "channel": Channel(dossier.channel).label,
        "return_method": RECEIPT_RETURN_PLACE.get(dossier.return_method, ReturnMethod(dossier.return_method).label),
        "officer": received.actor_name if received else "",
        "tracking_url": url,
        "qr": qr_svg_data_uri(url),
    }
    return render_pdf("printing/form_01.html", context)


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


@in_form_language
def ledger_xlsx(user, agency, start: date, end: date) -> bytes:
    """Mẫu 06 as an .xlsx workbook: a heading, the two header rows, one row per dossier (dates as real
    date-times in Vietnamese time, shown dd/mm/yyyy hh:mm). Whatever was typed is written as text, never
    as a formula (motcua.spreadsheets)."""
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    rows = ledger_rows(user, agency, start, end)
    columns = [str(c) for c in LEDGER_COLUMNS]
    title = _("SỔ THEO DÕI HỒ SƠ")
    period = _("Từ ngày %(start)s đến ngày %(end)s") % {"start": format_date(start), "end": format_date(end)}
    dates_heading = _("Ngày, tháng, năm")
    sheet_title = _("Sổ theo dõi hồ sơ")
    wb = spreadsheets.workbook()
    ws = wb.active
    ws.title = sheet_title
    last = get_column_letter(len(columns))
    bold = Font(name="Times New Roman", bold=True)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)

    ws["A1"] = agency.name.upper()
    ws["A1"].font = bold
    ws.merge_cells(f"A2:{last}2")
    ws["A2"] = title
    ws["A2"].font = Font(name="Times New Roman", bold=True, size=14)
    ws["A2"].alignment = center
    ws.merge_cells(f"A3:{last}3")
    ws["A3"] = period
    ws["A3"].alignment = center

    head, sub = 5, 6
    for i, name in enumerate(columns, start=1):
        if i - 1 in LEDGER_DATE_COLUMNS:
            ws.cell(sub, i, name)
        else:
            ws.cell(head, i, name)
            ws.merge_cells(start_row=head, start_column=i, end_row=sub, end_column=i)
    first_date = min(LEDGER_DATE_COLUMNS) + 1
    ws.cell(head, first_date, dates_heading)
    ws.merge_cells(start_row=head, start_column=first_date, end_row=head, end_column=max(LEDGER_DATE_COLUMNS) + 1)
    for r in (head, sub):
        for i in range(1, len(columns) + 1):
            cell = ws.cell(r, i)
            cell.font = bold
            cell.alignment = center
            cell.border = box

    def naive(moment):
        return local(moment).replace(tzinfo=None) if moment is not None else None

    for row in rows:
        values = [
            row.number, row.code, row.procedure, row.sets, row.applicant, row.address_phone, row.competent_agency,
            naive(row.received_at), naive(row.due_at), naive(row.transferred_at), naive(row.result_at),
            naive(row.returned_at), row.receiver, row.note,
        ]
        ws.append([spreadsheets.cell_value(v) for v in values])
        r = ws.max_row
        for i in range(1, len(columns) + 1):
            cell = ws.cell(r, i)
            cell.border = box
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if i - 1 in LEDGER_DATE_COLUMNS:
                cell.number_format = "dd/mm/yyyy hh:mm"
    widths = [6, 26, 40, 10, 26, 30, 28, 17, 17, 17, 17, 17, 20, 36]
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = ws.cell(sub + 1, 3)
    ws.print_title_rows = f"{head}:{sub}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    return spreadsheets.to_bytes(wb)
