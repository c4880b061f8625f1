from datetime import date
from decimal import Decimal

from motcua.catalog import seed_data
from motcua.catalog.models import Procedure, ProcedureVersion, WorkflowStep
from motcua.catalog.selectors import budget_problem, cases_with_budget_problems, version_in_force
from motcua.catalog.services import create_case, load_catalog
from motcua.dossiers import services
from tests.factories import at


def test_seed_catalog_loads_real_procedures_without_budget_problems(world):
    assert Procedure.objects.count() >= 15
    assert cases_with_budget_problems() == []
    residence = world.case("1.004222")
    assert (residence.time_limit_unit, residence.time_limit_value) == ("working_day", Decimal("7.00"))
    assert residence.time_limit_text() == "7 ngày làm việc"
    assert [(f.amount, f.online_amount) for f in residence.fees.all()] == [(20000, 10000)]


def test_loading_again_creates_nothing_and_edits_nothing(world):
    case = world.case()
    WorkflowStep.objects.filter(case=case, order=2).update(budget_hours=Decimal("47"))
    assert load_catalog(seed_data.FIELDS, seed_data.PROCEDURES) == 0
    assert ProcedureVersion.objects.count() == len(seed_data.PROCEDURES)
    # A published version is never rewritten by a reload, even to repair it: make a new version instead.
    assert WorkflowStep.objects.get(case=case, order=2).budget_hours == Decimal("47")


def test_budget_check_flags_wrong_step_times(world):
    case = world.case()
    WorkflowStep.objects.filter(case=case, order=2).update(budget_hours=Decimal("40"))
    problem = budget_problem(case)
    assert problem is not None
    assert problem.step_hours == Decimal("48") and problem.legal_hours == Decimal("56")
    assert "48 giờ làm việc" in problem.message and "7 ngày làm việc (56 giờ)" in problem.message
    assert [p.case for p in cases_with_budget_problems()] == [case]


def test_budget_check_rules_per_unit(world):
    version = world.case().version
    same_day = create_case(version, {
        "code": "X1", "name": "Trong ngày", "time_limit": ["same_day", None], "online_level": "none",
        "steps": [{"name": "a", "role": "specialist", "hours": 9}],
    })
    assert "không khớp" in budget_problem(same_day).message
    no_steps = create_case(version, {"code": "X2", "name": "Không bước", "time_limit": ["working_day", 3], "online_level": "none"})
    assert "Chưa cấu hình quy trình" in budget_problem(no_steps).message
    unlimited = create_case(version, {"code": "X3", "name": "Không thời hạn", "time_limit": ["none", None], "online_level": "none"})
    assert budget_problem(unlimited) is None
    hours = create_case(version, {
        "code": "X4", "name": "Giờ", "time_limit": ["working_hour", 24], "online_level": "none",
        "steps": [{"name": "a", "role": "specialist", "hours": 24}],
    })
    assert budget_problem(hours) is None


def test_a_dossier_keeps_the_version_it_was_received_under(world):
    old_case = world.case()
    d = world.new_dossier(now=at("2026-11-16 09:00"))
    procedure = old_case.version.procedure
    ProcedureVersion.objects.filter(pk=old_case.version_id).update(effective_to=date(2026, 11, 30))
    v2 = ProcedureVersion.objects.create(procedure=procedure, number=2, effective_from=date(2026, 12, 1), decision="QĐ thử")
    new_case = create_case(v2, {"code": "TH1", "name": "Mới", "time_limit": ["working_day", 5], "online_level": "partial",
                                "steps": [{"name": "a", "role": "specialist", "hours": 40}]})
    assert version_in_force(procedure, date(2026, 11, 30)).number == 1
    assert version_in_force(procedure, date(2026, 12, 1)).number == 2
    d.refresh_from_db()
    assert d.procedure_version.number == 1 and d.case == old_case
    # The old version can no longer take new dossiers once it has ended.
    import pytest

    with pytest.raises(services.DossierError) as err:
        world.new_dossier(case=old_case, now=at("2026-12-02 09:00"))
    assert "không có hiệu lực" in err.value.message
    assert world.new_dossier(case=new_case, now=at("2026-12-02 09:00")).procedure_version == v2


def test_eform_schema_and_time_limit_are_checked_when_a_case_is_saved_in_the_admin(world):
    import pytest
    from django.core.exceptions import ValidationError

    case = world.case("1.001193", "TH2")
    case.eform_schema = {"type": "object", "title": "Tờ khai", "properties": {"Họ tên": {"type": "text"}}, "required": ["x"]}
    with pytest.raises(ValidationError) as err:
        case.full_clean()
    messages = " ".join(err.value.message_dict["eform_schema"])
    assert "tên trường 'Họ tên'" in messages and "'type' phải là" in messages and "không nằm trong 'properties': x" in messages
    case.eform_schema = {}
    case.time_limit_value = None
    with pytest.raises(ValidationError) as err:
        case.full_clean()
    assert "time_limit_value" in err.value.message_dict


def test_the_case_a_submission_names_is_found_in_the_version_in_force(world, django_assert_num_queries):
    """case_to_apply_for: the newest version in force unless one is named; the case by code, else the
    version's first; a case of an older version is not taken when a newer one is in force."""
    from motcua.catalog.selectors import case_to_apply_for

    old_case = world.case()
    procedure = old_case.version.procedure
    ProcedureVersion.objects.filter(pk=old_case.version_id).update(effective_to=date(2026, 11, 30))
    v2 = ProcedureVersion.objects.create(procedure=procedure, number=2, effective_from=date(2026, 12, 1), decision="QĐ thử")
    new_case = create_case(v2, {"code": "TH9", "name": "Mới", "time_limit": ["working_day", 5], "online_level": "partial",
                                "steps": [{"name": "a", "role": "specialist", "hours": 40}]})
    with django_assert_num_queries(1):
        found = case_to_apply_for(procedure.code, day=date(2026, 12, 1))
        assert (found, found.version.procedure.code) == (new_case, procedure.code)  # read with it, no query more
    assert case_to_apply_for(procedure.code, day=date(2026, 11, 30)) == old_case.version.cases.order_by("pk").first()
    assert case_to_apply_for(procedure.code, "TH9", day=date(2026, 12, 1)) == new_case
    assert case_to_apply_for(procedure.code, old_case.code, day=date(2026, 12, 1)) is None  # not in version 2
    assert case_to_apply_for(procedure.code, old_case.code, version_number=1) == old_case
    assert case_to_apply_for(procedure.code, version_number=3) is None
    assert case_to_apply_for("9.999999") is None
    ProcedureVersion.objects.filter(pk=v2.pk).update(effective_to=date(2026, 12, 31))
    assert case_to_apply_for(procedure.code, day=date(2027, 1, 2)) is None  # nothing in force


def test_a_catalog_version_in_use_cannot_be_edited_and_budgets_must_add_up(world, admin_client):
    case = world.case()
    world.new_dossier(now=at("2026-11-16 09:00"))
    response = admin_client.post(f"/admin/catalog/case/{case.pk}/change/", {"name": "Sửa"})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.name != "Sửa"

    free = world.case("1.001193", "TH2")  # 3 working days = 24 h; no dossier uses this version
    steps = list(free.steps.order_by("order"))
    data = {
        "version": free.version_id, "code": free.code, "name": free.name, "time_limit_value": "3",
        "time_limit_unit": "working_day", "same_day_cutoff": "15:00", "online_level": free.online_level,
        "result_documents": "[]", "eform_schema": "{}",
        "components-TOTAL_FORMS": "0", "components-INITIAL_FORMS": "0",
        "fees-TOTAL_FORMS": "0", "fees-INITIAL_FORMS": "0",
        "steps-TOTAL_FORMS": str(len(steps)), "steps-INITIAL_FORMS": str(len(steps)),
    }
    for i, s in enumerate(steps):
        data |= {f"steps-{i}-id": s.pk, f"steps-{i}-case": free.pk, f"steps-{i}-order": s.order,
                 f"steps-{i}-name": s.name, f"steps-{i}-role": s.role, f"steps-{i}-budget_hours": str(s.budget_hours)}
    data["steps-0-budget_hours"] = str(steps[0].budget_hours + 5)
    response = admin_client.post(f"/admin/catalog/case/{free.pk}/change/", data)
    assert response.status_code == 200 and "không khớp thời hạn luật định" in response.content.decode()
    assert free.steps.get(order=1).budget_hours == steps[0].budget_hours
