"""API for feedback (phản ánh, kiến nghị) arriving from the national portal or another system.

POST /api/v1/phan-anh takes an item in (source "api", the same rules as the portal form, through
feedback.services.submit_feedback) and answers 201 with its tracking code; GET /api/v1/phan-anh/{code}
tells its state, deadline and, once sent, the answer. Token auth like the rest of v1. The sender's
contacts are never returned.

Limits, as on the portal's pages (feedback.services): items sent per API key (per client address for a
signed-in session), and failed look-ups of a code per client address, counted with the follow page's.
"""

from datetime import datetime

from django.http import HttpResponse
from ninja import Header, Router, Status
from pydantic import Field

from motcua.catalog.models import Procedure
from motcua.feedback import services
from motcua.feedback.models import Feedback
from motcua.org.models import Agency
from motcua.portal.identity import client_address

from .schemas import ErrorOut, Strict

router = Router(tags=["Phản ánh, kiến nghị"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut, 503: ErrorOut}
# Taking a JSON body: also 403 (a signed-in session without its CSRF token), 413 (too large) and 415 (not
# JSON), see transport.py.
BODY_ERRORS = ERRORS | {403: ErrorOut, 413: ErrorOut, 415: ErrorOut}


class FeedbackContactIn(Strict):
    name: str = Field("", max_length=200, description="Họ và tên; để trống cả ba trường nếu ẩn danh")
    phone: str = Field("", max_length=30, description="Số điện thoại nhận tin trả lời (SMS)")
    email: str = Field("", max_length=254, description="Thư điện tử nhận trả lời đầy đủ")


class FeedbackIn(Strict):
    kind: str = Field("", description="regulation (quy định, thủ tục) | officer (hành vi cán bộ) | other")
    text: str = Field("", description="Nội dung phản ánh, kiến nghị (10–5000 ký tự)")
    dossier_code: str = Field("", description="Mã hồ sơ liên quan, nếu có")
    procedure: str | None = Field(None, description="Mã thủ tục liên quan, nếu có (xem GET /procedures)")
    agency: str | None = Field(None, description="Mã định danh đơn vị xử lý; để trống: bộ phận điều phối của tỉnh")
    contact: FeedbackContactIn | None = Field(None, description="Liên hệ của người phản ánh; bỏ trống nếu ẩn danh")
    simple: bool = Field(False, description="Vụ việc đơn giản (thời hạn trả lời ngắn hơn)")


class FeedbackOut(Strict):
    code: str = Field(description="Mã phản ánh để theo dõi (PAKN-YYMMDD-XXXX)")
    kind: str
    kind_label: str
    source: str
    state: str
    state_label: str
    received_at: datetime
    due_at: datetime | None = Field(description="Hạn trả lời")
    anonymous: bool
    answer: str | None = Field(description="Nội dung trả lời, khi đã trả lời")
    answered_at: datetime | None
    answering_agency: str | None
    closed_at: datetime | None
    follow_url: str = Field(description="Trang theo dõi trên Cổng dịch vụ công")


def feedback_out(item: Feedback) -> dict:
    sent = item.answered_at is not None
    return {
        "code": item.code,
        "kind": item.kind,
        "kind_label": str(item.get_kind_display()),
        "source": item.source,
        "state": item.state,
        "state_label": str(item.get_state_display()),
        "received_at": item.created_at,
        "due_at": item.due_at,
        "anonymous": item.anonymous,
        "answer": item.answer if sent else None,
        "answered_at": item.answered_at,
        "answering_agency": item.answering_agency.name if sent and item.answering_agency_id else None,
        "closed_at": item.closed_at,
        "follow_url": f"/danh-gia/phan-anh/{item.code}/",
    }


def _refused(exc: services.FeedbackError, response: HttpResponse) -> Status:
    code = {400: "invalid_input", 404: "not_found", 409: "conflict", 429: "rate_limited"}.get(exc.status, "error")
    if exc.retry_after:
        response["Retry-After"] = str(exc.retry_after)
    return Status(exc.status, {"detail": exc.message, "code": code, "field": exc.field})


def _sender(request) -> tuple[str, services.SendingLimit]:
    """Who is counted for sending: the API key (a system relaying many people), else the client address."""
    token = getattr(request, "api_token", None)
    if token is not None:
        return f"key:{token.pk}", services.PER_API_KEY
    return client_address(request), services.PER_ADDRESS


def _procedure(code: str | None):
    if not code:
        return None
    found = Procedure.objects.filter(code=code.strip()).first()
    if found is None:
        raise services.FeedbackError(
            f"Không có thủ tục mã '{code}'. Xem GET /api/v1/procedures hoặc bỏ trống.", field="procedure"
        )
    return found


def _agency(code: str | None):
    if not code:
        return None
    found = Agency.objects.filter(identifier_code=code.strip().upper()).first()
    if found is None:
        raise services.FeedbackError(
            f"Không có đơn vị mang mã định danh '{code}'; bỏ trống để gửi bộ phận điều phối của tỉnh.", field="agency"
        )
    return found


@router.post("/phan-anh", response={200: FeedbackOut, 201: FeedbackOut, **BODY_ERRORS}, summary="Gửi một phản ánh, kiến nghị")
def create_feedback(
    request, payload: FeedbackIn, response: HttpResponse,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    """Takes in feedback received by another system (the national portal). Anonymous when `contact` is
    empty: the answer is then read on the follow page only. 400 with a Vietnamese message for a wrong
    kind, a too short or too long text, a wrong phone or e-mail, an unknown procedure or unit. Repeating
    the same Idempotency-Key (per API account) answers 200 with the item the first call made. More than
    PER_API_KEY items an hour with one key (PER_ADDRESS from one address with a session): 429 with
    Retry-After, nothing written."""
    contact = payload.contact or FeedbackContactIn()
    key = f"api:{request.auth.pk}:{idempotency_key.strip()}" if idempotency_key and idempotency_key.strip() else ""
    repeated = bool(key) and Feedback.objects.filter(intake_key=key).exists()
    sender, limit = _sender(request)
    try:
        code = services.submit_feedback(
            kind=payload.kind,
            text=payload.text,
            contact=services.Contact(contact.name, contact.phone, contact.email),
            dossier_code=payload.dossier_code,
            procedure=_procedure(payload.procedure),
            agency=_agency(payload.agency),
            source=Feedback.Source.API,
            simple=payload.simple,
            actor=request.auth,
            intake_key=key,
            sender=sender,
            limit=limit,
        )
    except services.FeedbackError as exc:
        return _refused(exc, response)
    item = Feedback.objects.select_related("answering_agency").get(code=code)
    return Status(200 if repeated else 201, feedback_out(item))


@router.get("/phan-anh/{code}", response={200: FeedbackOut, **ERRORS}, summary="Tình trạng và trả lời của một phản ánh")
def get_feedback(request, code: str, response: HttpResponse):
    """After LOOKUP_LIMIT unknown codes from one address within LOOKUP_WINDOW (on this API or the follow
    page), 429 with Retry-After, even for a code that exists: codes cannot be guessed here either."""
    client = client_address(request)
    if services.too_many_failures(services.FOLLOW_SCOPE, client):
        minutes = int(services.LOOKUP_WINDOW.total_seconds() // 60)
        response["Retry-After"] = str(minutes * 60)
        return Status(429, {
            "detail": f"Đã tra cứu sai mã phản ánh, kiến nghị quá nhiều lần từ địa chỉ mạng này; hãy thử lại sau {minutes} phút.",
            "code": "rate_limited", "field": None,
        })
    item = services.feedback_by_code(code)
    if item is None:
        services.record_failure(services.FOLLOW_SCOPE, client)
        return Status(404, {
            "detail": f"Không tìm thấy phản ánh, kiến nghị mã '{code[:40]}' (dạng PAKN-YYMMDD-XXXX).",
            "code": "not_found", "field": None,
        })
    return feedback_out(item)
