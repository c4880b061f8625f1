"""Uploads: resumable (tus) and plain, checked by size and content."""

import fcntl
import hashlib
import os
import uuid
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import Component
from motcua.documents.services import SIGNATURES, DocumentError, check_upload, clean_name, max_bytes

from ..models import ApplicationDraft, ResumableUpload
from .components import draft_bytes
from .drafts import _require_open
from .errors import ApplicationError, _megabytes

DRAFT_MAX_BYTES = 50 * 1024 * 1024  # all files of one application together
SIGNATURE_BYTES = max(len(magic) for magic, _t, _e in SIGNATURES)
READ_SIZE = 64 * 1024


# ---------------------------------------------------------------- uploads


def upload_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "tus"


def full_path(upload: ResumableUpload) -> Path:
    return Path(settings.MEDIA_ROOT) / upload.path


def _check_size(draft: ApplicationDraft, name: str, length: int) -> None:
    if length <= 0:
        raise ApplicationError(_("Tệp “%(name)s” rỗng; hãy quét hoặc chọn lại tệp.") % {"name": name})
    limit = max_bytes()
    if length > limit:
        raise ApplicationError(
            _("Tệp “%(name)s” có dung lượng %(size)s, vượt quá mức tối đa %(limit)s cho mỗi tệp; hãy quét ở độ "
              "phân giải thấp hơn hoặc tách thành nhiều tệp.")
            % {"name": name, "size": _megabytes(length), "limit": _megabytes(limit)},
            status=413,
        )
    used = draft_bytes(draft)
    if used + length > DRAFT_MAX_BYTES:
        raise ApplicationError(
            _("Các tệp của hồ sơ này đã dùng %(used)s; thêm tệp “%(name)s” (%(size)s) sẽ vượt mức %(limit)s cho "
              "một hồ sơ. Hãy xóa tệp không cần thiết hoặc quét ở độ phân giải thấp hơn.")
            % {"used": _megabytes(used), "name": name, "size": _megabytes(length), "limit": _megabytes(DRAFT_MAX_BYTES)},
            status=413,
        )


def _component_of(draft: ApplicationDraft, component_id) -> Component:
    try:
        return draft.case.components.get(pk=int(component_id))
    except (TypeError, ValueError, Component.DoesNotExist):
        raise ApplicationError(_("Hãy chọn thành phần hồ sơ mà tệp này thuộc về.")) from None


def create_upload(draft: ApplicationDraft, component_id, length: int, filename: str) -> ResumableUpload:
    _require_open(draft)
    component = _component_of(draft, component_id)
    name = clean_name(filename)
    _check_size(draft, name, length)
    upload_id = uuid.uuid4()
    relative = f"tus/{upload_id.hex}.part"
    root = upload_root()
    root.mkdir(parents=True, exist_ok=True)
    (root / f"{upload_id.hex}.part").touch()
    return ResumableUpload.objects.create(
        id=upload_id, draft=draft, component=component, filename=name, length=length, path=relative
    )


def _kind_of(head: bytes, final: bool) -> str | None:
    """The content type the first bytes prove; None while too few bytes have arrived to tell."""
    for magic, content_type, _ext in SIGNATURES:
        if head.startswith(magic):
            return content_type
    if not final and any(magic.startswith(head) for magic, _t, _e in SIGNATURES):
        return None
    return ""


def _refuse_type(upload: ResumableUpload) -> ApplicationError:
    return ApplicationError(
        _("Tệp “%(name)s” không phải PDF, ảnh JPEG hoặc PNG (hệ thống kiểm tra theo nội dung tệp, không theo đuôi "
          "tên tệp). Hãy quét giấy tờ thành PDF hoặc chụp thành ảnh JPEG/PNG rồi tải lên lại.") % {"name": upload.filename},
        status=415,
    )


def append(upload: ResumableUpload, offset: int, read, content_length: int | None = None) -> int:
    """Write the bytes `read(n)` yields at `offset`; returns the offset now stored.

    A file lock serialises PATCHes of one upload; no database transaction is held while bytes arrive.
    A read that fails (the connection dropped) ends the PATCH with what arrived stored.
    """
    _require_open(upload.draft)
    path = full_path(upload)
    try:
        fh = open(path, "r+b")
    except FileNotFoundError:
        raise ApplicationError(_("Không tìm thấy tệp đang tải lên; hãy chọn lại tệp."), status=404) from None
    refused = None
    with fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        stored = fh.seek(0, os.SEEK_END)
        if offset != stored:
            raise ApplicationError(
                _("Vị trí tải lên không khớp: máy chủ đã nhận %(stored)s byte.") % {"stored": stored}, status=409
            )
        remaining = upload.length - stored
        if content_length is not None and content_length > remaining:
            raise ApplicationError(_("Phần gửi lên dài hơn dung lượng tệp đã khai báo."), status=413)
        fh.seek(0)
        head = fh.read(SIGNATURE_BYTES)
        fh.seek(stored)
        written = 0
        kind = upload.content_type or None
        try:
            while True:
                try:
                    chunk = read(min(READ_SIZE, remaining - written + 1))
                except OSError:
                    break  # the connection dropped: keep what arrived
                if not chunk:
                    break
                if written + len(chunk) > remaining:
                    refused = ApplicationError(_("Phần gửi lên dài hơn dung lượng tệp đã khai báo."), status=413)
                    break
                if kind is None:
                    head = (head + chunk)[:SIGNATURE_BYTES]
                    kind = _kind_of(head, final=stored + written + len(chunk) >= upload.length)
                    if kind == "":
                        refused = _refuse_type(upload)
                        break
                fh.write(chunk)
                written += len(chunk)
            if refused is not None:
                fh.truncate(stored)  # nothing of a refused PATCH stays
                written = 0
        finally:
            fh.flush()
            os.fsync(fh.fileno())
        new_offset = stored + written
    if refused is not None and refused.status == 415:
        delete_upload(upload)
        raise refused
    upload.offset = new_offset
    if kind and not upload.content_type:
        upload.content_type = kind
    ResumableUpload.objects.filter(pk=upload.pk).update(
        offset=new_offset, content_type=upload.content_type, updated_at=timezone.now()
    )
    if refused is not None:
        raise refused
    if new_offset == upload.length:
        _finish(upload)
    return new_offset


def _finish(upload: ResumableUpload) -> None:
    """Check the whole file's type again and fingerprint it."""
    digest = hashlib.sha256()
    with open(full_path(upload), "rb") as fh:
        head = fh.read(SIGNATURE_BYTES)
        fh.seek(0)
        for block in iter(lambda: fh.read(READ_SIZE), b""):
            digest.update(block)
    kind = _kind_of(head, final=True)
    if not kind:
        delete_upload(upload)
        raise _refuse_type(upload)
    upload.content_type, upload.sha256 = kind, digest.hexdigest()
    ResumableUpload.objects.filter(pk=upload.pk).update(content_type=kind, sha256=upload.sha256)


def stored_offset(upload: ResumableUpload) -> int:
    """Bytes actually stored (the file on disk is the truth; the row is brought in line)."""
    try:
        size = full_path(upload).stat().st_size
    except FileNotFoundError:
        size = 0
    if size != upload.offset:
        ResumableUpload.objects.filter(pk=upload.pk).update(offset=size)
        upload.offset = size
    return size


def store_plain(draft: ApplicationDraft, component_id, uploaded) -> ResumableUpload:
    """A whole file from a form without JavaScript: the same checks as a resumable upload."""
    _require_open(draft)
    component = _component_of(draft, component_id)
    if uploaded is None:
        raise ApplicationError(_("Hãy chọn tệp cần tải lên."))
    try:
        checked = check_upload(uploaded)
    except DocumentError as exc:
        raise ApplicationError(exc.message, status=exc.status) from None
    _check_size(draft, checked.name, checked.size)
    upload_id = uuid.uuid4()
    root = upload_root()
    root.mkdir(parents=True, exist_ok=True)
    target = root / f"{upload_id.hex}.part"
    with open(target, "wb") as out:
        for block in uploaded.chunks():
            out.write(block)
    return ResumableUpload.objects.create(
        id=upload_id, draft=draft, component=component, filename=checked.name, length=checked.size,
        offset=checked.size, path=f"tus/{upload_id.hex}.part", content_type=checked.content_type, sha256=checked.sha256,
    )


def delete_upload(upload: ResumableUpload) -> None:
    _require_open(upload.draft)
    path = full_path(upload)
    ResumableUpload.objects.filter(pk=upload.pk).delete()
    path.unlink(missing_ok=True)
