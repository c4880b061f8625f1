"""Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog.models import FeeLine
from motcua.dossiers.models import Channel, Dossier, ReturnMethod

from .common import (
    FormNotApplicable,
    _base_context,
    _event,
    _parse_iso,
    format_clock,
    format_date,
    in_form_language,
    money,
    qr_svg_data_uri,
    render_pdf,
    tracking_url,
)

# Form 01 reads "Đăng ký nhận kết quả tại: …", so the place, not the method's own label ("Tại …").
RECEIPT_RETURN_PLACE = {
    ReturnMethod.COUNTER: gettext_lazy("bộ phận tiếp nhận và trả kết quả"),
    ReturnMethod.POST: gettext_lazy("địa chỉ đăng ký, qua dịch vụ bưu chính công ích"),
    ReturnMethod.ELECTRONIC: gettext_lazy("tài khoản trên Cổng dịch vụ công (bản điện tử)"),
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
