"""Checking and storing uploaded files. Nothing is written for a file that fails a check.

The type is decided by the file's first bytes, never by its name or the browser's claim: a PDF starts
with "%PDF-", a JPEG with FF D8 FF, a PNG with 89 50 4E 47 0D 0A 1A 0A. Anything else (an HTML page or an
SVG renamed .pdf, a Word file) is refused, so no file we serve back can run in a browser.
"""

import hashlib
import logging
import re
import unicodedata
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers import workflow
from motcua.dossiers.models import Dossier, DossierComponent, State
from motcua.org.selectors import roles_at

from .models import Document

SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# Scans may be added while the dossier is open; result documents while it is processed or waits to be returned.
SCAN_STATES = frozenset(State.values) - workflow.TERMINAL_STATES - {State.DRAFT}
RESULT_STATES = frozenset({State.PROCESSING, State.RESULT_READY})
PROCESSING_ROLES = frozenset({workflow.SPECIALIST, workflow.HEAD_DIV, workflow.HEAD, workflow.CLERK})


STORAGE_FAILED = (
    "Kho lưu trữ tệp của hệ thống đang đầy hoặc không ghi được, nên tệp chưa được lưu và hồ sơ không thay "
    "đổi. Xin thử lại sau ít phút; nếu vẫn lỗi, xin báo bộ phận hỗ trợ."
)


log = logging.getLogger(__name__)


class DocumentError(Exception):
    """A refused upload or download; `status` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class CheckedFile:
    upload: object
    name: str  # the uploader's name, cleaned, for display and the download
    content_type: str
    extension: str
    size: int
    sha256: str


def max_bytes() -> int:
    return getattr(settings, "MOTCUA_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)


def _megabytes(n: int) -> str:
    """10485760 → '10 MB', 1536 → '1,5 KB' (Vietnamese decimal comma)."""
    value, unit = (n / (1024 * 1024), "MB") if n >= 1024 * 1024 else (n / 1024, "KB")
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",") + " " + unit


def clean_name(name: str) -> str:
    """The uploader's file name without folders, control characters or characters that break headers."""
    name = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r'[<>:"|?*;]+', "_", name).strip(" .")
    if len(name) > 150:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 150 - len(ext) - 1] + "." + ext) if dot and len(ext) <= 8 else name[:150]
    return name or "tep"


def check_upload(upload) -> CheckedFile:
    """Size and content checks; raises DocumentError with a message that says what to do."""
    name = clean_name(getattr(upload, "name", ""))
    size = getattr(upload, "size", None) or 0
    if size == 0:
        raise DocumentError(_("Tệp “%(name)s” rỗng; hãy quét hoặc chọn lại tệp.") % {"name": name})
    limit = max_bytes()
    if size > limit:
        raise DocumentError(
            _("Tệp “%(name)s” có dung lượng %(size)s, vượt quá mức tối đa %(limit)s cho mỗi tệp; hãy quét ở độ "
              "phân giải thấp hơn hoặc tách thành nhiều tệp.")
            % {"name": name, "size": _megabytes(size), "limit": _megabytes(limit)},
            status=413,
        )
    upload.seek(0)
    head = upload.read(16)
    found = next(((t, e) for magic, t, e in SIGNATURES if head.startswith(magic)), None)
    if found is None:
        raise DocumentError(
            _("Tệp “%(name)s” không phải PDF, ảnh JPEG hoặc PNG (hệ thống kiểm tra theo nội dung tệp, không theo "
              "đuôi tên tệp). Hãy quét giấy tờ thành PDF hoặc chụp thành ảnh JPEG/PNG rồi tải lên lại.")
            % {"name": name},
            status=415,
        )
    content_type, extension = found
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b""):
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(upload, name, content_type, extension, size, digest.hexdigest())


def _may_upload(user, dossier: Dossier) -> bool:
    if user is None:
        return False
    if user.is_superuser:
        return True
    reception = roles_at(user, dossier.receiving_agency) & workflow.RECEPTION_ROLES
    processing = roles_at(user, dossier.competent_agency) & PROCESSING_ROLES
    return bool(reception or processing)


def attach(
    *, dossier: Dossier, checked: CheckedFile, actor, kind: str, component: DossierComponent | None = None, now=None
) -> Document:
    """Store one checked file on a dossier. A scan of a component marks that component digitised."""
    now = now or timezone.now()
    if kind not in Document.Kind.values:
        raise DocumentError(_("Loại tệp đính kèm không hợp lệ."))
    if not _may_upload(actor, dossier):
        raise DocumentError(
            _("Tài khoản %(user)s không có vai trò tại đơn vị tiếp nhận hoặc cơ quan giải quyết hồ sơ này nên không "
              "được đính kèm tệp.") % {"user": actor},
            status=403,
        )
    if kind == Document.Kind.COMPONENT:
        if component is None or component.dossier_id != dossier.pk:
            raise DocumentError(_("Hãy chọn thành phần hồ sơ mà bản quét thuộc về."))
        if dossier.state not in SCAN_STATES:
            raise DocumentError(
                _("Hồ sơ đang ở trạng thái “%(state)s”, không đính kèm thêm bản quét được.")
                % {"state": dossier.get_state_display()},
                status=409,
            )
    else:
        component = None
        if dossier.state not in RESULT_STATES:
            raise DocumentError(
                _("Chỉ đính kèm kết quả khi hồ sơ đang xử lý hoặc chờ trả kết quả; hồ sơ đang “%(state)s”.")
                % {"state": dossier.get_state_display()},
                status=409,
            )
    return store(dossier=dossier, content=checked.upload, name=checked.name, content_type=checked.content_type,
                 size=checked.size, sha256=checked.sha256, kind=kind, component=component, uploaded_by=actor, now=now)


def store(*, dossier: Dossier, content, name: str, content_type: str, size: int, sha256: str, kind: str,
          component: DossierComponent | None = None, uploaded_by=None, now=None) -> Document:
    """Write one file whose content was already checked (by check_upload, or by the resumable upload)
    under a random name and record it; a scan of a component marks that component provided and digitised.
    Callers check who may attach what (attach() for staff, the portal for the applicant). If the row
    cannot be written the file is removed; if the caller's transaction rolls back later, the caller
    removes it (delete_stored)."""
    now = now or timezone.now()
    extension = next(ext for _magic, mime, ext in SIGNATURES if mime == content_type)
    document = Document(
        dossier=dossier, component=component, kind=kind, original_name=name, content_type=content_type,
        size=size, sha256=sha256, uploaded_by=uploaded_by, uploaded_at=now,
    )
    wanted = f"{uuid.uuid4().hex}.{extension}"
    with transaction.atomic():
        try:
            document.file.save(wanted, File(content), save=False)
        except OSError as exc:
            # A full or failing disk: nothing half-written stays behind, and the person is told plainly.
            log.error("upload storage failed for dossier %s: %s", dossier.pk, exc)
            document.file.storage.delete(document.file.field.generate_filename(document, wanted))
            raise DocumentError(STORAGE_FAILED, status=507) from None
        stored = document.file.name
        try:
            document.save()
            if component is not None and not (component.digitised and component.provided):
                DossierComponent.objects.filter(pk=component.pk).update(digitised=True, provided=True)
                component.digitised = component.provided = True
        except Exception:
            document.file.storage.delete(stored)
            raise
    return document


def delete_stored(documents) -> None:
    """Remove the files of documents whose rows were rolled back."""
    for document in documents:
        document.file.storage.delete(document.file.name)
