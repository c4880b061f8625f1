"""Every failure as JSON in Vietnamese with a code: the dossier rules, bad input, authentication, the rate
limit, the database out of reach and our own failures (with an incident id); NUL characters refused."""

import functools
import json
import re
import secrets

from django.db import DatabaseError
from django.http import Http404
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from motcua.dossiers import services
from motcua.ops import logs, outage

from .. import ratelimit, transport
from ..errors import validation_message
from .app import _error, api, logger


@api.exception_handler(services.DossierError)
def _dossier_error(request, exc):
    return _error(request, exc.status, exc.message, exc.code, exc.field)


@api.exception_handler(NinjaValidationError)
def _validation_error(request, exc):
    detail, field = validation_message(exc.errors)
    return _error(request, 422, detail, "invalid_input", field, errors=exc.errors)


@api.exception_handler(AuthenticationError)
def _auth_error(request, exc):
    return _error(
        request, 401, "Thiếu hoặc sai khóa API. Gửi tiêu đề 'Authorization: Bearer <khóa>' với khóa còn hiệu lực.", "unauthorized"
    )


@api.exception_handler(Throttled)
def _rate_limited(request, exc):
    seconds = ratelimit.retry_after(request, exc.wait)
    response = _error(request, 429, ratelimit.rate_limited_message(seconds), "rate_limited")
    response["Retry-After"] = str(seconds)
    return response


@api.exception_handler(HttpError)
def _http_error(request, exc):
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        # ninja's own words are English; the cause says where the JSON broke.
        cause = exc.__cause__
        if isinstance(cause, transport.NotJson):
            return _error(request, 415, transport.not_json_message(cause.content_type), "unsupported_media_type")
        where = f" (lỗi ở dòng {cause.lineno}, cột {cause.colno})" if isinstance(cause, json.JSONDecodeError) else ""
        return _error(
            request,
            400,
            f"Nội dung gửi lên không phải JSON hợp lệ{where}; kiểm tra dấu ngoặc, dấu phẩy và dấu nháy kép.",
            "malformed_json",
        )
    if exc.status_code == 403 and str(exc) == transport.NINJA_CSRF_FAILED:
        return _error(request, 403, transport.CSRF_FAILED, "csrf_failed")
    return _error(request, exc.status_code, str(exc), "error")


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, "Không tìm thấy.", "not_found")


@api.exception_handler(DatabaseError)
def _database_error(request, exc):
    if not outage.database_unavailable(exc):
        return _our_failure(request, exc)
    logger.warning("API answered 503, the database is out of reach: %s %s: %s", request.method, request.path, exc)
    seconds = outage.RETRY_AFTER_SECONDS
    response = _error(
        request, 503,
        outage.UNAVAILABLE_MESSAGE.format(seconds=seconds) + " Khi gửi lại một yêu cầu ghi, dùng cùng "
        "Idempotency-Key: nếu lần trước đã được ghi, hệ thống trả lại đúng kết quả đó, không tạo trùng.",
        "database_unavailable",
    )
    response["Retry-After"] = str(seconds)
    return response


@api.exception_handler(Exception)
def _our_failure(request, exc):
    # A failure of ours: logged with an id the caller can quote, never a traceback in the answer.
    incident = secrets.token_hex(6)
    # The incident id is an Identifier: never masked, whatever digits it has; the path is (personal IDs).
    logger.exception("API failure %s: %s %s", logs.Identifier(incident), request.method, request.path)
    return _error(
        request,
        500,
        f"Hệ thống gặp lỗi khi xử lý yêu cầu (mã sự cố {incident}). Hãy thử lại sau với cùng Idempotency-Key "
        "để không tạo trùng; nếu lỗi lặp lại, báo mã sự cố này cho quản trị hệ thống.",
        "server_error",
    )


# A NUL character (JSON "\u0000", URL %00) in a path, query or body: PostgreSQL refuses it in text, which
# made a search or a look-up a server error (found by schemathesis); SQLite would store it. Refused before
# anything reads or writes, on both engines alike.
ESCAPED_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


def _has_nul(request, kwargs) -> bool:
    if any("\x00" in str(v) for v in kwargs.values()):
        return True
    if any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()):
        return True
    body = request.body if request.method in ("POST", "PUT", "PATCH") else b""
    return b"\x00" in body or ESCAPED_NUL.search(body) is not None


def refuse_nul(view):
    @functools.wraps(view)
    def checked(request, *args, **kwargs):
        if _has_nul(request, kwargs):
            return _error(
                request,
                400,
                "Dữ liệu gửi lên có ký tự NUL (mã 0, \\u0000 hoặc %00), không được dùng trong văn bản; hãy bỏ ký tự đó.",
                "invalid",
            )
        return view(request, *args, **kwargs)

    return checked


api.add_decorator(refuse_nul, mode="view")
# Added last, so outermost: a body over the size limit is answered 413 before anything reads it.
api.add_decorator(transport.refuse_too_large(_error), mode="view")
