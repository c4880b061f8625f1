"""What the API refuses about a request before it reads the data in it, answered in the API's JSON error
shape and in Vietnamese like every other refusal (v1.py wires these in):

- a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE: 413 (Django's own answer would be an English HTML 400);
- a body that is not declared as JSON (`Content-Type` missing, text/plain, a form…) on an operation that
  takes a JSON body: 415 (ninja would parse it as JSON whatever it claims to be);
- a signed-in session (the desk's pages calling the API) without its CSRF token: 403 (ninja says
  "CSRF check Failed").
"""

import functools

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from ninja.parser import Parser

WRITING_METHODS = ("POST", "PUT", "PATCH")

CSRF_FAILED = (
    "Yêu cầu dùng phiên đăng nhập nhưng thiếu hoặc sai mã chống giả mạo (CSRF); chưa có gì được ghi. "
    "Nếu gửi từ một trang của hệ thống, hãy tải lại trang rồi gửi lại (trình duyệt phải bật cookie). "
    "Chương trình gọi API bằng phiên đăng nhập phải gửi tiêu đề X-CSRFToken lấy từ cookie csrftoken; "
    "hệ thống khác hãy dùng khóa API (Authorization: Bearer)."
)
NINJA_CSRF_FAILED = "CSRF check Failed"  # ninja's HttpError text (ninja.security.apikey)


def is_json(content_type: str) -> bool:
    """application/json, or a JSON-based type such as application/problem+json."""
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    return kind == "application/json" or (kind.startswith("application/") and kind.endswith("+json"))


class NotJson(Exception):
    """The body of an operation that takes JSON came with another (or no) Content-Type."""

    def __init__(self, content_type: str):
        super().__init__(content_type)
        self.content_type = content_type


class JsonBodyParser(Parser):
    """ninja's parser, called only for operations that take a body and only when one was sent: the body
    is read as JSON when it says it is JSON, and refused otherwise (ninja wraps the exception in its
    "Cannot parse request body" HttpError; v1's handler finds it as the cause)."""

    def parse_body(self, request):
        content_type = request.META.get("CONTENT_TYPE", "")
        if not is_json(content_type):
            raise NotJson(content_type)
        return super().parse_body(request)


def not_json_message(content_type: str) -> str:
    given = content_type.split(";", 1)[0].strip()[:60]
    said = f"tiêu đề Content-Type là '{given}'" if given else "thiếu tiêu đề Content-Type"
    return (
        f"Nội dung gửi lên phải là JSON, nhưng {said}. "
        "Hãy gửi nội dung JSON với tiêu đề 'Content-Type: application/json'."
    )


def too_large_message(*, page: bool = False) -> str:
    """What to do about a body over DATA_UPLOAD_MAX_MEMORY_SIZE, for the API or (page=True) a form."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    size = f"{limit / 1024 / 1024:.1f} MB".replace(".", ",") if limit >= 1024 * 1024 else f"{limit} byte"
    if page:
        return f"Nội dung gửi lên quá lớn (tối đa {size}). Hãy quay lại, rút gọn nội dung đã nhập rồi gửi lại; giấy tờ hãy gửi bằng ô tải tệp."
    return (
        f"Nội dung gửi lên quá lớn: tối đa {size}. Chưa có gì được ghi. Hãy rút gọn nội dung "
        "(tệp giấy tờ gửi qua chức năng tải tệp lên, không gửi kèm trong JSON)."
    )


def refuse_too_large(error):
    """A view decorator (ninja "view" mode, outermost, so before anything reads the body): a body over
    DATA_UPLOAD_MAX_MEMORY_SIZE is answered `error(request, 413, message, "too_large")`."""

    def decorator(view):
        @functools.wraps(view)
        def checked(request, *args, **kwargs):
            if request.method in WRITING_METHODS:
                try:
                    request.body  # noqa: B018 - read (and kept) once here, where its size is checked
                except RequestDataTooBig:
                    return error(request, 413, too_large_message(), "too_large")
            return view(request, *args, **kwargs)

        return checked

    return decorator
