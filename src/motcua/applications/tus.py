"""A tus 1.0 server (core protocol, creation and termination extensions) for the files of a draft.

    OPTIONS  tai-len/            Tus-Version, Tus-Extension, Tus-Max-Size
    POST     tai-len/            Upload-Length, Upload-Metadata (filename, component) → 201 Location
    HEAD     tai-len/<id>        Upload-Offset, Upload-Length
    PATCH    tai-len/<id>        Content-Type application/offset+octet-stream, Upload-Offset → 204 Upload-Offset
    DELETE   tai-len/<id>        → 204

Only the signed-in citizen who owns the draft sees an upload (404 for anyone else). Refusals carry a
Vietnamese message as text/plain. The rules (limits, types, offsets) live in services.py.
"""

import base64
import binascii
import re

from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from motcua.catalog.models import Component
from motcua.documents.services import max_bytes
from motcua.portal.identity import current_citizen

from . import services
from .models import ApplicationDraft, ResumableUpload

VERSION = "1.0.0"
EXTENSIONS = "creation,termination"
OFFSET_CONTENT_TYPE = "application/offset+octet-stream"


def _response(status: int, message: str = "", **headers) -> HttpResponse:
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["Tus-Resumable"] = VERSION
    response["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = str(value)
    return response


def _refusal(exc: services.ApplicationError) -> HttpResponse:
    return _response(exc.status, exc.message)


def parse_metadata(header: str) -> dict[str, str]:
    """Upload-Metadata: comma-separated 'key base64(value)' pairs; raises ValueError when malformed."""
    out = {}
    for pair in filter(None, (p.strip() for p in (header or "").split(","))):
        key, _sep, encoded = pair.partition(" ")
        try:
            out[key] = base64.b64decode(encoded.strip(), validate=True).decode("utf-8") if encoded else ""
        except (binascii.Error, UnicodeDecodeError):
            raise ValueError(key) from None
    return out


def _int_header(request, name: str) -> int | None:
    raw = request.headers.get(name)
    if raw is None or not re.fullmatch(r"[0-9]{1,15}", raw):  # ASCII digits only, and a sane length
        return None
    return int(raw)


def _preconditions(request) -> HttpResponse | None:
    if request.method != "OPTIONS" and request.headers.get("Tus-Resumable") != VERSION:
        return _response(412, _("Máy chủ chỉ hỗ trợ giao thức tải lên tus phiên bản %(v)s.") % {"v": VERSION},
                         Tus_Version=VERSION)
    return None


def _options() -> HttpResponse:
    return _response(204, Tus_Version=VERSION, Tus_Extension=EXTENSIONS, Tus_Max_Size=max_bytes())


def _sign_in_required() -> HttpResponse:
    return _response(403, _("Phiên đăng nhập đã hết; hãy đăng nhập lại rồi tiếp tục tải lên."))


@never_cache
def collection(request):
    if request.method == "OPTIONS":
        return _options()
    if request.method != "POST":
        return _response(405, _("Phương thức không được hỗ trợ."), Allow="OPTIONS, POST")
    refused = _preconditions(request)
    if refused:
        return refused
    citizen = current_citizen(request)
    if citizen is None:
        return _sign_in_required()
    length = _int_header(request, "Upload-Length")
    if length is None:
        return _response(400, _("Thiếu dung lượng tệp (Upload-Length)."))
    try:
        meta = parse_metadata(request.headers.get("Upload-Metadata", ""))
    except ValueError:
        return _response(400, _("Thông tin kèm theo tệp (Upload-Metadata) không đúng định dạng."))
    raw_component = meta.get("component") or ""
    component = Component.objects.filter(pk=int(raw_component)).first() if re.fullmatch(r"[0-9]{1,15}", raw_component) else None
    draft = None
    if component is not None:
        draft = ApplicationDraft.objects.filter(
            citizen=citizen, case_id=component.case_id, status=ApplicationDraft.Status.DRAFT
        ).select_related("case").first()
    if draft is None:
        return _response(404, _("Không tìm thấy hồ sơ đang soạn cho thành phần hồ sơ này; hãy mở lại trang nộp hồ sơ."))
    try:
        upload = services.create_upload(draft, component.pk, length, meta.get("filename", ""))
    except services.ApplicationError as exc:
        return _refusal(exc)
    location = request.build_absolute_uri(reverse("applications:tus-upload", args=[upload.pk]))
    return _response(201, Location=location, Upload_Offset=0)


def _owned(request, upload_id) -> ResumableUpload | None:
    citizen = current_citizen(request)
    if citizen is None:
        return None
    return (
        ResumableUpload.objects.select_related("draft__dossier")
        .filter(pk=upload_id, draft__citizen=citizen)
        .first()
    )


@never_cache
def resource(request, upload_id):
    if request.method == "OPTIONS":
        return _options()
    refused = _preconditions(request)
    if refused:
        return refused
    if current_citizen(request) is None:
        return _sign_in_required()
    upload = _owned(request, upload_id)
    if upload is None:
        return _response(404, _("Không tìm thấy tệp đang tải lên."))
    if request.method == "HEAD":
        return _response(200, Upload_Offset=services.stored_offset(upload), Upload_Length=upload.length)
    if request.method == "PATCH":
        return _patch(request, upload)
    if request.method == "DELETE":
        try:
            services.delete_upload(upload)
        except services.ApplicationError as exc:
            return _refusal(exc)
        return _response(204)
    return _response(405, _("Phương thức không được hỗ trợ."), Allow="OPTIONS, HEAD, PATCH, DELETE")


def _patch(request, upload: ResumableUpload) -> HttpResponse:
    if request.content_type != OFFSET_CONTENT_TYPE:
        return _response(415, _("Phần tệp phải gửi với Content-Type %(t)s.") % {"t": OFFSET_CONTENT_TYPE})
    offset = _int_header(request, "Upload-Offset")
    if offset is None:
        return _response(400, _("Thiếu vị trí tải lên (Upload-Offset)."))
    try:
        new_offset = services.append(upload, offset, request.read, _int_header(request, "Content-Length"))
    except services.ApplicationError as exc:
        if exc.status == 409:
            return _response(409, exc.message, Upload_Offset=services.stored_offset(upload))
        return _refusal(exc)
    return _response(204, Upload_Offset=new_offset)
