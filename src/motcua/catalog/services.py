"""Writers for the catalog. A published version is never edited in place: changes make a new version."""

from datetime import date, time
from decimal import Decimal

from django.db import transaction

from .models import Case, Component, FeeLine, Field, Procedure, ProcedureVersion, WorkflowStep


def _time(text):
    return time.fromisoformat(text) if text else None


@transaction.atomic
def load_catalog(fields: list[dict], procedures: list[dict]) -> int:
    """Create the fields and procedures described by seed data (see catalog/seed_data.py).

    Idempotent: a procedure version that already exists is left exactly as it is (dossiers may point at it).
    Returns the number of versions created.
    """
    for f in fields:
        Field.objects.update_or_create(code=f["code"], defaults={"name": f["name"]})
    field_ids = dict(Field.objects.values_list("code", "id"))
    created = 0
    for p in procedures:
        procedure, _ = Procedure.objects.update_or_create(
            code=p["code"],
            defaults={
                "name": p["name"],
                "field_id": field_ids[p["field"]],
                "level": p["level"],
                "agency_kind": p["agency_kind"],
                "legal_basis": p.get("legal_basis", ""),
            },
        )
        v = p["version"]
        if procedure.versions.filter(number=v["number"]).exists():
            continue
        version = ProcedureVersion.objects.create(
            procedure=procedure,
            number=v["number"],
            effective_from=date.fromisoformat(v["effective_from"]),
            decision=v.get("decision", ""),
        )
        created += 1
        for c in p["cases"]:
            create_case(version, c)
    return created


def create_case(version: ProcedureVersion, c: dict) -> Case:
    unit, value = c["time_limit"]
    online_unit, online_value = c.get("online_time_limit") or ("", None)
    case = Case.objects.create(
        version=version,
        code=c["code"],
        name=c["name"],
        time_limit_unit=unit,
        time_limit_value=None if value is None else Decimal(str(value)),
        online_time_limit_unit=online_unit or "",
        online_time_limit_value=None if online_value is None else Decimal(str(online_value)),
        same_day_cutoff=_time(c.get("same_day_cutoff")) or time(15, 0),
        online_cutoff=_time(c.get("online_cutoff")),
        online_level=c["online_level"],
        result_documents=c.get("result_documents", []),
        eform_schema=c.get("eform", {}),
    )
    Component.objects.bulk_create(
        Component(
            case=case,
            order=i,
            name=comp["name"],
            description=comp.get("description", ""),
            originals=comp.get("originals", 0),
            certified_copies=comp.get("certified_copies", 0),
            photocopies=comp.get("photocopies", 0),
            national_data=comp.get("national_data", False),
            required=comp.get("required", True),
        )
        for i, comp in enumerate(c.get("components", []), start=1)
    )
    FeeLine.objects.bulk_create(
        FeeLine(
            case=case,
            kind=fee["kind"],
            name=fee["name"],
            amount=fee["amount"],
            online_amount=fee.get("online_amount"),
            mode=fee["mode"],
        )
        for fee in c.get("fees", [])
    )
    WorkflowStep.objects.bulk_create(
        WorkflowStep(case=case, order=i, name=s["name"], role=s["role"], budget_hours=Decimal(str(s["hours"])))
        for i, s in enumerate(c.get("steps", []), start=1)
    )
    return case
