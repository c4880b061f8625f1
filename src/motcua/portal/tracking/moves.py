"""The citizen's own moves, through dossiers.services.perform: supply missing items, withdraw, and the
electronic payment receipt."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.documents import services as documents
from motcua.documents.models import Document
from motcua.dossiers import services as dossier_services
from motcua.dossiers import workflow
from motcua.dossiers.models import Dossier, State

from .common import TrackingError, applicant
from .guidance import Item, supplement_items
from .words import current_step

MAX_NOTE = 1000


# ---------------------------------------------------------------- the citizen's moves


def can_withdraw(dossier: Dossier) -> bool:
    return workflow.get("withdraw").allows(dossier.state)


def can_supply(dossier: Dossier) -> bool:
    return dossier.state in (State.AWAITING_SUPPLEMENT, State.AWAITING_COMPLETION)


def _store(dossier: Dossier, checked: documents.CheckedFile, item: Item, now) -> Document:
    """Store one checked file as a scan of the dossier, on the component of that name when there is one
    (which then counts as provided and digitised)."""
    component = next(
        (c for c in dossier.components.all() if c.name.strip().lower() == item.name.strip().lower()), None
    )
    return documents.store(
        dossier=dossier, content=checked.upload, name=checked.name, content_type=checked.content_type,
        size=checked.size, sha256=checked.sha256, kind=Document.Kind.COMPONENT, component=component, now=now,
    )


def supply_items(dossier: Dossier, files: dict[int, object], note: str = "", *, now=None) -> Dossier:
    """Answer the open supplement (or completion) request: one file per requested item, keyed by the
    item's position (0-based). Every file is checked by content first (PDF, JPEG or PNG, size limit);
    one bad file or a missing item and nothing is stored. Then, in one transaction, the files are
    attached and the dossier moves (supply_supplement: the clock resumes; complete: back to reception).
    """
    now = now or timezone.now()
    if not can_supply(dossier):
        raise TrackingError(_("Hồ sơ hiện không có yêu cầu bổ sung nào."), status=409)
    items = supplement_items(dossier)
    missing = [item.name for i, item in enumerate(items) if files.get(i) is None]
    if missing:
        raise TrackingError(
            _("Còn thiếu tệp cho: %(items)s. Hãy chọn tệp cho từng giấy tờ được yêu cầu.") % {"items": "; ".join(missing)},
            field="files",
        )
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise TrackingError(_("Ghi chú dài quá %(max)s ký tự.") % {"max": MAX_NOTE}, field="note")
    checked = []
    for i, item in enumerate(items):
        try:
            checked.append((item, documents.check_upload(files[i])))
        except documents.DocumentError as exc:
            raise TrackingError(f"{item.name}: {exc.message}", status=exc.status, field="files") from None
    action = "supply_supplement" if dossier.state == State.AWAITING_SUPPLEMENT else "complete"
    summary = "; ".join(f"{item.name}: {c.name}" for item, c in checked)
    stored: list[Document] = []
    try:
        with transaction.atomic():
            for item, c in checked:
                stored.append(_store(dossier, c, item, now))
            data = {"note": (_("Bổ sung trên Cổng dịch vụ công: %(files)s") % {"files": summary})[:1500]
                    + (f". {note}" if note else "")}
            outcome = dossier_services.perform(dossier, action, actor=applicant(dossier), data=data, now=now)
    except dossier_services.DossierError as exc:
        documents.delete_stored(stored)
        raise TrackingError(exc.message, status=exc.status) from None
    except Exception:
        documents.delete_stored(stored)
        raise
    return outcome.dossier


def withdraw(dossier: Dossier, reason: str, *, now=None) -> Dossier:
    """The applicant withdraws the dossier (rút hồ sơ), with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise TrackingError(_("Hãy ghi lý do rút hồ sơ."), field="reason")
    if len(reason) > MAX_NOTE:
        raise TrackingError(_("Lý do dài quá %(max)s ký tự.") % {"max": MAX_NOTE}, field="reason")
    if not can_withdraw(dossier):
        raise TrackingError(
            _("Hồ sơ ở tình trạng này không rút được nữa: %(now)s") % {"now": current_step(dossier)}, status=409
        )
    try:
        outcome = dossier_services.perform(
            dossier, "withdraw", actor=applicant(dossier), now=now,
            data={"reason": reason},
        )
    except dossier_services.DossierError as exc:
        raise TrackingError(exc.message, status=exc.status) from None
    return outcome.dossier


def payment_receipt(dossier: Dossier, reference: str) -> bytes:
    """The electronic receipt of one of the dossier's paid payments (biên lai điện tử)."""
    from motcua.payments.services import PaymentRefused, receipt_pdf

    payment = dossier.payments.filter(reference=reference).first()
    if payment is None:
        raise TrackingError(_("Không có giao dịch thanh toán này."), status=404)
    try:
        return receipt_pdf(payment)
    except PaymentRefused as exc:
        raise TrackingError(str(exc), status=409) from None
