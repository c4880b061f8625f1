"""The dossiers router: create (idempotent), list, read, and perform an action, through dossiers.services."""


from django.utils import timezone
from ninja import Header, Query, Router, Status

from motcua.catalog.models import Case, Procedure
from motcua.catalog.selectors import (
    case_to_apply_for,
    version_in_force,
)
from motcua.dossiers import selectors, services, workflow
from motcua.dossiers.models import State
from motcua.fields import MAX_INT
from motcua.org.models import AdministrativeUnit, Agency

from .. import schemas
from .app import ERRORS, refusals

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
