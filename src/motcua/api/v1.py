"""REST API v1. Thin: it parses, calls dossiers.services / selectors, and shapes the answer."""

import functools
import json
import logging
import re
import secrets
from datetime import datetime

from django.db import DatabaseError
from django.http import Http404
from django.utils import timezone
from ninja import Header, NinjaAPI, Query, Router, Status
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder
from ninja.security import HttpBearer, SessionAuth

from motcua.catalog.models import Case, Procedure
from motcua.catalog.selectors import (
    budget_problem,
    case_to_apply_for,
    procedures_with_versions,
    version_in_force,
)
from motcua.dossiers import selectors, services, workflow
from motcua.dossiers.models import State
from motcua.fields import MAX_INT, FieldError
from motcua.ops import logs, outage
from motcua.org import selectors as org_selectors
from motcua.org.middleware import ENROL_FIRST
from motcua.org.models import AdministrativeUnit, Agency, ApiToken, RoleAssignment

from . import ratelimit, schemas, transport
from .errors import validation_message

logger = logging.getLogger(__name__)


class LocalTimeEncoder(NinjaJSONEncoder):
    """Times in Vietnamese local time with their offset (2026-11-16T08:00:00+07:00), not UTC."""

    def default(self, o):
        if isinstance(o, datetime) and timezone.is_aware(o):
            o = timezone.localtime(o)
        return super().default(o)


class VietnameseJSONRenderer(JSONRenderer):
    # Readable Vietnamese in responses instead of \u escapes.
    encoder_class = LocalTimeEncoder
    json_dumps_params = {"ensure_ascii": False}


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        request.user = found.user
        request.api_token = found  # the rate limit counts per key
        return found.user


class SessionWithSecondFactor(SessionAuth):
    """A signed-in officer's session (the desk's own pages call the API), held to the same second factor
    as the pages: a head not yet enrolled in two-step sign-in gets 403 here as he is sent to enrolment
    there. API keys (TokenAuth) are unchanged."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user and org_selectors.second_factor_missing(request):
            raise HttpError(403, str(ENROL_FIRST))
        return user


api = NinjaAPI(
    title="motcua API",
    version="1",
    description="Hồ sơ thủ tục hành chính: danh mục thủ tục, tạo hồ sơ, chuyển trạng thái. Xem docs/api.md.",
    urls_namespace="api-v1",
    renderer=VietnameseJSONRenderer(),
    auth=[TokenAuth(), SessionWithSecondFactor()],
    throttle=[ratelimit.ApiRateLimit()],
    parser=transport.JsonBodyParser(),  # a body not declared as JSON is refused (415), not guessed
)


def refusals(*statuses: int, public: bool = False, body: bool = False) -> dict:
    """The error answers an operation declares: those given, plus 400 (a NUL character, see refuse_nul),
    422 (query or body not matching the schema), 429 (rate limit) and 503 (the database briefly out of
    reach, with Retry-After) everywhere, 401 where a key is needed, and 413 (too large) and 415 (not
    JSON) where a JSON body is taken (see transport.py)."""
    extra = (() if public else (401,)) + ((413, 415) if body else ())
    return {s: schemas.ErrorOut for s in sorted({*statuses, 400, 422, 429, 503, *extra})}


ERRORS = refusals(400, 401, 403, 404, 409, body=True)  # the operations that take a JSON body


def _error(request, status, detail, code, field=None, errors=None):
    body = {"detail": detail, "code": code, "field": field}
    if errors is not None:
        body["errors"] = errors
    return api.create_response(request, body, status=status)


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


# ---------------------------------------------------------------- catalog

catalog = Router(tags=["Thủ tục"])


def _limit(unit, value, text):
    return {"unit": unit, "value": value, "text": text}


def case_out(case: Case) -> dict:
    problem = budget_problem(case, sum((s.budget_hours for s in case.steps.all()), start=0))
    return {
        "id": case.pk,
        "code": case.code,
        "name": case.name,
        "time_limit": _limit(case.time_limit_unit, case.time_limit_value, case.time_limit_text()),
        "online_time_limit": _limit(case.online_time_limit_unit, case.online_time_limit_value, case.time_limit_text(True))
        if case.online_time_limit_unit
        else None,
        "same_day_cutoff": case.same_day_cutoff.strftime("%H:%M"),
        "online_cutoff": case.online_cutoff.strftime("%H:%M") if case.online_cutoff else None,
        "online_level": case.online_level,
        "result_documents": case.result_documents,
        "eform_schema": case.eform_schema,
        "components": list(case.components.all()),
        "fees": list(case.fees.all()),
        "steps": list(case.steps.all()),
        "budget_problem": problem.message if problem else None,
    }


def procedure_out(p: Procedure) -> dict:
    today = timezone.localdate()
    return {
        "code": p.code,
        "name": p.name,
        "field": p.field,
        "level": p.level,
        "agency_kind": p.agency_kind,
        "legal_basis": p.legal_basis,
        "versions": [
            {
                "number": v.number,
                "effective_from": v.effective_from,
                "effective_to": v.effective_to,
                "decision": v.decision,
                "in_force": v.effective_from <= today and (v.effective_to is None or v.effective_to >= today),
                "cases": [case_out(c) for c in v.cases.all()],
            }
            for v in p.versions.all()
        ],
    }


@catalog.get(
    "/procedures", auth=None, response={200: list[schemas.ProcedureSummaryOut], **refusals(public=True)},
    summary="Danh sách thủ tục",
)
def list_procedures(request, field: str | None = None, q: str | None = Query(None, max_length=100)):
    qs = Procedure.objects.select_related("field")
    if field:
        qs = qs.filter(field__code=field)
    if q:
        qs = qs.filter(name__icontains=q) | qs.filter(code__startswith=q)
    return qs.order_by("code")


@catalog.get(
    "/procedures/{code}", auth=None, response={200: schemas.ProcedureOut, **refusals(404, public=True)},
    summary="Một thủ tục với các phiên bản và trường hợp",
)
def get_procedure(request, code: str):
    p = procedures_with_versions().filter(code=code).first()
    if p is None:
        raise services.NotFound(f"Không có thủ tục mã '{code}'.")
    return procedure_out(p)


@catalog.get(
    "/workflow", auth=None, response={200: list[schemas.TransitionOut], **refusals(public=True)},
    summary="Bảng chuyển trạng thái hồ sơ",
)
def get_workflow(request):
    return [
        {
            "action": t.action,
            "label": t.label,
            "sources": sorted(t.sources),
            "target": t.target,
            "roles": sorted(t.roles),
            "requires": list(t.requires),
            "national_code": t.national_code,
        }
        for t in workflow.TRANSITIONS
    ]


@catalog.get("/me", response={200: schemas.TokenCheckOut, **refusals()}, summary="Tài khoản đang gọi API và vai trò")
def me(request):
    return {
        "username": request.auth.username,
        "roles": [
            {"role": r.role, "agency": r.agency.identifier_code}
            for r in RoleAssignment.objects.filter(user=request.auth).select_related("agency")
        ],
    }


# ---------------------------------------------------------------- dossiers

dossiers = Router(tags=["Hồ sơ"])


def _agency_ref(a: Agency) -> dict:
    return {"code": a.identifier_code, "name": a.name}


def _step_out(s) -> dict:
    return {
        "order": s.order,
        "name": s.name,
        "role": s.role,
        "agency": s.agency.identifier_code,
        "started_at": s.started_at,
        "due_at": s.due_at,
        "ended_at": s.ended_at,
        "timing": s.timing,
    }


def summary_out(d) -> dict:
    now = timezone.now()
    return {
        "code": d.code,
        "channel": d.channel,
        "state": d.state,
        "state_label": str(State(d.state).label),
        "national_status": d.national_status,
        "procedure": d.procedure_version.procedure.code,
        "applicant_name": d.applicant_name,
        "received_at": d.received_at,
        "due_at": d.due_at,
        "due_at_text": timezone.localtime(d.due_at).strftime("%H:%M %d/%m/%Y") if d.due_at else None,
        "overdue": bool(d.due_at and d.state in workflow.CLOCK_RUNNING_STATES and now > d.due_at),
    }


def dossier_out(d, user, written: dict[str, list] | None = None) -> dict:
    """The whole dossier: `d` from selectors.dossier_detail (children prefetched), or a new dossier with the
    rows it was `written` with (services.Outcome.written), which are then not read back."""
    from motcua.dossiers.deadlines import timing

    def rows(name):
        return written[name] if written is not None else list(getattr(d, name).all())

    steps = rows("steps")  # prefetched with their agency (selectors.dossier_detail)
    open_steps = [s for s in steps if s.ended_at is None]
    result = timing(d.finished_at, d.due_at)
    return summary_out(d) | {
        "procedure_name": d.procedure_version.procedure.name,
        "version": d.procedure_version.number,
        "case": d.case.code,
        "case_name": d.case.name,
        "applicant_kind": d.applicant_kind,
        "personal_id": d.personal_id,
        "tax_code": d.tax_code,
        "phone": d.phone,
        "email": d.email,
        "address": d.address,
        "summary": d.summary,
        "return_method": d.return_method,
        "identity_verified": d.identity_verified,
        "receiving_agency": _agency_ref(d.receiving_agency),
        "competent_agency": _agency_ref(d.competent_agency),
        "submitted_at": d.submitted_at,
        "finished_at": d.finished_at,
        "returned_at": d.returned_at,
        "closed_at": d.closed_at,
        "rescheduled_due_at": d.rescheduled_due_at,
        "timing": result.value if result else None,
        "current_step": _step_out(open_steps[-1]) if open_steps else None,
        "allowed_actions": [
            {"action": t.action, "label": t.label, "requires": list(t.requires)}
            for t in services.allowed_actions(d, user)
        ],
        "components": [
            {
                "component": c.component_id,
                "name": c.name,
                "provided": c.provided,
                "digitised": c.digitised,
                "reused": c.reused,
                "from_national_data": c.from_national_data,
            }
            for c in rows("components")
        ],
        "fees": rows("fees"),
        "steps": [_step_out(s) for s in steps],
        "pauses": rows("pauses"),
        "events": [
            {
                "seq": e.seq,
                "at": e.at,
                "action": e.action,
                "from_state": e.from_state,
                "to_state": e.to_state,
                "actor": e.actor_name,
                "reason": e.reason,
                "data": e.data,
            }
            for e in rows("events")
        ],
    }


AGENCY_LABELS = {"receiving_agency": "đơn vị tiếp nhận", "competent_agency": "cơ quan giải quyết", "support_agency": "nơi hỗ trợ"}


def _agencies(payload: schemas.DossierIn) -> dict[str, Agency | None]:
    """The agencies the payload names by identifier code, read in one query, by field."""
    given = {field: getattr(payload, field) for field in AGENCY_LABELS}
    codes = {field: (raw or "").strip().upper() for field, raw in given.items()}
    found = {a.identifier_code: a for a in Agency.objects.filter(identifier_code__in={c for c in codes.values() if c})}
    out = {}
    for field, code in codes.items():
        if given[field] and code not in found:  # "  " too: a code was given, and it is no agency's
            raise services.DossierError(
                f"Không có {AGENCY_LABELS[field]} mang mã định danh '{given[field]}'.", code="unknown_agency"
            )
        out[field] = found.get(code)
    return out


def _case_for(payload: schemas.DossierIn) -> Case:
    case = case_to_apply_for(payload.procedure, payload.case, payload.version)
    if case is not None:
        return case
    # Not found: say which part of the name is wrong.
    procedure = Procedure.objects.filter(code=payload.procedure).first()
    if procedure is None:
        raise services.DossierError(
            f"Không có thủ tục mã '{payload.procedure}'. Xem GET /api/v1/procedures.", code="unknown_procedure", field="procedure"
        )
    if payload.version is None:
        version = version_in_force(procedure)
        if version is None:
            raise services.DossierError(f"Thủ tục {procedure.code} chưa có phiên bản nào đang có hiệu lực.", code="version_not_in_force")
    else:
        version = procedure.versions.filter(number=payload.version).first()
        if version is None:
            raise services.DossierError(f"Thủ tục {procedure.code} không có phiên bản {payload.version}.", field="version")
    cases = version.cases.order_by("pk")
    case = cases.filter(code=payload.case).first() if payload.case else cases.first()
    if case is None:
        raise services.DossierError(f"Thủ tục {procedure.code} không có trường hợp '{payload.case}'.", field="case")
    return case


@dossiers.post(
    "/dossiers",
    response={201: schemas.DossierOut, 200: schemas.DossierOut, **ERRORS},
    summary="Tạo (nộp) hồ sơ trên một kênh",
)
def create_dossier(request, payload: schemas.DossierIn, idempotency_key: str | None = Header(None, alias="Idempotency-Key")):
    """Creates the dossier in state `submitted` with its code. Repeating the same Idempotency-Key returns
    the first dossier with status 200 and writes nothing."""
    address_unit = None
    if payload.address_unit:
        address_unit = AdministrativeUnit.objects.filter(code=payload.address_unit, level="commune").first()
        if address_unit is None:
            raise services.DossierError(f"Không có xã, phường mã '{payload.address_unit}'.", field="address_unit")
    outcome = services.create_dossier(
        actor=request.auth,
        case=_case_for(payload),
        channel=payload.channel,
        **_agencies(payload),
        applicant=payload.applicant.model_dump(exclude_none=True),
        components=[c.model_dump() for c in payload.components] if payload.components is not None else None,
        return_method=payload.return_method,
        summary=payload.summary,
        address_unit=address_unit,
        identity_verified=payload.identity_verified,
        population_verified=payload.population_verified,
        notify=payload.notify,
        idempotency_key=idempotency_key,
    )
    if not outcome.repeated:  # the caller may see it: create_dossier required a role at the receiving agency
        return Status(201, dossier_out(outcome.dossier, request.auth, outcome.written))
    d = selectors.dossier_detail(request.auth, outcome.dossier.code)
    if d is None:  # a repeat by a caller who has since lost access to that unit
        raise services.NotFound("Không tìm thấy hồ sơ trong phạm vi được phép xem.")
    return Status(200, dossier_out(d, request.auth))


@dossiers.get(
    "/dossiers", response={200: list[schemas.DossierSummaryOut], **refusals()}, summary="Danh sách hồ sơ được phép xem"
)
def list_dossiers(
    request,
    state: str | None = Query(None, max_length=30),
    overdue: bool | None = None,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_INT),
):
    qs = selectors.visible_dossiers(request.auth)
    if state:
        qs = qs.filter(state=state)
    if overdue:
        qs = qs.filter(state__in=workflow.CLOCK_RUNNING_STATES, due_at__lt=timezone.now())
    qs = qs.order_by("due_at", "pk") if overdue else qs.order_by("-pk")
    return [summary_out(d) for d in qs[offset : offset + limit]]


@dossiers.get("/dossiers/{code}", response={200: schemas.DossierOut, **refusals(404)}, summary="Một hồ sơ với nhật ký")
def get_dossier(request, code: str):
    d = selectors.dossier_detail(request.auth, code)
    if d is None:
        raise services.NotFound(f"Không tìm thấy hồ sơ '{code}' trong phạm vi được phép xem.")
    return dossier_out(d, request.auth)


@dossiers.post(
    "/dossiers/{code}/actions/{action}",
    response={200: schemas.DossierOut, **ERRORS},
    summary="Thực hiện một thao tác trên hồ sơ",
)
def perform_action(
    request,
    code: str,
    action: str,
    payload: schemas.TransitionIn | None = None,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    """Any transition of GET /workflow by name. 409 when the dossier's state does not allow it, 403 without
    the role, 400 for wrong data."""
    d = selectors.dossier_for(request.auth, code)
    if d is None:
        raise services.NotFound(f"Không tìm thấy hồ sơ '{code}' trong phạm vi được phép xem.")
    data = payload.model_dump(exclude_none=True, mode="python") if payload else {}
    if "items" in data:
        data["items"] = [dict(i) for i in data["items"]]
    if "amount" in data:
        data["amount"] = int(data["amount"])
    services.perform(d, action, actor=request.auth, data=data, idempotency_key=idempotency_key)
    d = selectors.dossier_detail(request.auth, d.code)
    if d is None:  # the move took the dossier out of the caller's units
        raise services.NotFound(f"Không tìm thấy hồ sơ '{code}' trong phạm vi được phép xem.")
    return dossier_out(d, request.auth)


@dossiers.get(
    "/population/{personal_id}", response={200: schemas.PopulationLookupOut, **refusals(400, 403)},
    summary="Tra cứu người nộp trong dữ liệu dân cư",
)
def population_lookup(request, personal_id: str):
    """Pre-fill for the counter, for reception staff only (one-stop officers, postal agents): a person's
    record is not for everyone with an account. When the population service is down the answer is still
    200, with status `unavailable` and a message: the officer types the data and creates the dossier with
    population_verified=false."""
    from motcua.dossiers.workflow import RECEPTION_ROLES
    from motcua.integrations.services import lookup_applicant

    user = request.auth
    if not user.is_superuser and not RoleAssignment.objects.filter(user=user, role__in=RECEPTION_ROLES).exists():
        raise services.Forbidden("Chỉ cán bộ tiếp nhận (một cửa, bưu chính công ích) mới tra cứu dữ liệu dân cư.")
    try:
        result = lookup_applicant(personal_id)
    except FieldError as exc:
        raise services.DossierError(str(exc), code="invalid_identifier", field="personal_id") from exc
    return {"status": result.status, "message": result.message, "person": result.person}


api.add_router("/", catalog)
api.add_router("/", dossiers)
api.add_router("/", "motcua.api.feedback.router")
