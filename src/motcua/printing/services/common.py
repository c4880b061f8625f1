"""What every form shares: errors, the Vietnamese formatting of dates, times and money, the QR code,
the heading and applicant blocks, and rendering to PDF in Vietnamese."""

from __future__ import annotations

import base64
import functools
import io
import logging
from datetime import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.dossiers.models import Dossier

FORM_LANGUAGE = "vi"


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
