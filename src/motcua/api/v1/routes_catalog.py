"""The catalog router: procedures, their cases and limits, the workflow table, and the caller's account."""


from django.utils import timezone
from ninja import Query, Router

from motcua.catalog.models import Case, Procedure
from motcua.catalog.selectors import (
    budget_problem,
    procedures_with_versions,
)
from motcua.dossiers import services, workflow
from motcua.org.models import RoleAssignment

from .. import schemas
from .app import refusals

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
