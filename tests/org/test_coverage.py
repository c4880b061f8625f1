"""The coverage page: every case a unit handles, who can act at each step, and wrong time budgets."""

from decimal import Decimal

import pytest

from motcua.catalog.models import WorkflowStep
from motcua.org import selectors, services
from motcua.org.models import AdministrativeUnit, Agency, RoleAssignment, User
from motcua.org.roles import Role

BIRTH = ("1.001193", "TH2")  # 3 working days: 1 + 17 + 4 + 1 + 1 hours, right as seeded


def page(agency):
    return f"/don-vi/{agency.pk}/bao-phu/"


def find(coverage, agency, code=BIRTH):
    return next(
        c for c in coverage.cases if c.agency_id == agency.pk and (c.procedure_code, c.case_code) == code
    )


def test_the_unit_handles_the_commune_committee_procedures_and_everyone_is_in_place(world):
    coverage = selectors.coverage(world.committee)
    codes = {c.procedure_code for c in coverage.cases}
    assert "1.001193" in codes and "2.002913" in codes
    # Police procedures belong to the police, which is not under the committee.
    assert "1.004222" not in codes
    assert {c.agency_id for c in coverage.cases} == {world.committee.pk}
    birth = find(coverage, world.committee)
    assert [s.role for s in birth.steps] == [
        Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.HEAD_OF_AGENCY, Role.CLERK, Role.ONE_STOP_OFFICER,
    ]
    reception, specialist = birth.steps[0], birth.steps[1]
    assert reception.agency_id == world.centre.pk  # reception at the commune's one-stop centre
    assert specialist.agency_id == world.committee.pk
    assert any(world.user(Role.ONE_STOP_OFFICER).username in h for h in reception.holders)
    assert birth.budget_problem is None and birth.ok
    assert coverage.uncovered_steps == 0 and coverage.budget_problems == 0


def test_a_step_nobody_can_act_on_is_flagged(world):
    for assignment in RoleAssignment.objects.filter(role=Role.ONE_STOP_OFFICER, agency=world.centre):
        services.revoke_role(assignment=assignment)
    # The API's system account still holds the role at the province committee: it is not staff.
    assert RoleAssignment.objects.filter(role=Role.ONE_STOP_OFFICER, user__is_system=True).exists()
    birth = find(selectors.coverage(world.committee), world.committee)
    flagged = [s.order for s in birth.steps if s.uncovered]
    assert flagged == [1, 5]
    assert birth.uncovered_steps == 2 and not birth.ok
    # The other commune is untouched.
    other = find(selectors.coverage(world.other_committee), world.other_committee)
    assert other.uncovered_steps == 0


def test_a_holder_above_the_unit_covers_the_step(world):
    for assignment in RoleAssignment.objects.filter(role=Role.CLERK, agency=world.committee):
        services.revoke_role(assignment=assignment)
    assert find(selectors.coverage(world.committee), world.committee).steps[3].uncovered
    provincial_clerk = User.objects.create_user("van.thu.tinh", last_name="Phạm", first_name="Lan")
    services.grant_role(user=provincial_clerk, role=Role.CLERK, agency=world.province_committee)
    step = find(selectors.coverage(world.committee), world.committee).steps[3]
    assert step.holders == ("Phạm Lan (van.thu.tinh)",)
    # A locked account does not count.
    provincial_clerk.is_active = False
    provincial_clerk.save()
    assert find(selectors.coverage(world.committee), world.committee).steps[3].uncovered


def test_a_case_whose_step_times_do_not_add_up_is_flagged(world):
    case = world.case(*BIRTH)
    WorkflowStep.objects.filter(case=case, order=2).update(budget_hours=Decimal("20"))
    birth = find(selectors.coverage(world.committee), world.committee)
    assert birth.budget_problem == (
        "Tổng thời gian các bước là 27 giờ làm việc, không khớp thời hạn luật định 3 ngày làm việc (24 giờ)."
    )
    assert selectors.coverage(world.committee).budget_problems == 1


def test_the_page_flags_both_problems_in_red(client, world):
    for assignment in RoleAssignment.objects.filter(role=Role.CLERK, agency=world.committee):
        services.revoke_role(assignment=assignment)
    WorkflowStep.objects.filter(case=world.case(*BIRTH), order=2).update(budget_hours=Decimal("20"))
    client.force_login(world.user(Role.UNIT_ADMIN))
    response = client.get(page(world.committee))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bao phủ quy trình tại UBND phường Hạc Thành" in html
    assert 'class="overdue uncovered"' in html
    assert "Không ai thực hiện được bước này" in html
    assert 'class="flag budget-problem" role="alert">Tổng thời gian các bước là 27 giờ làm việc' in html
    assert "bước chưa có ai thực hiện được" in html


def test_heads_and_supervisors_see_the_page_others_get_404(client, world):
    for role in (Role.HEAD_OF_AGENCY, Role.HEAD_OF_DIVISION, Role.SUPERVISOR, Role.UNIT_ADMIN):
        client.force_login(world.user(role))
        assert client.get(page(world.committee)).status_code == 200, role
    for user in (world.user(Role.UNIT_ADMIN, other=True), world.user(Role.SPECIALIST), world.user(Role.ONE_STOP_OFFICER)):
        client.force_login(user)
        assert client.get(page(world.committee)).status_code == 404, user
    client.logout()
    assert client.get(page(world.committee))["Location"].startswith("/dang-nhap/?next=")
    client.force_login(world.user(Role.UNIT_ADMIN))
    assert client.get("/don-vi/999999/bao-phu/").status_code == 404


@pytest.mark.parametrize("communes", [0, 6])
def test_the_number_of_queries_does_not_grow_with_the_units(world, django_assert_max_num_queries, communes):
    for n in range(communes):
        unit = AdministrativeUnit.objects.create(
            code=f"9{n:04d}", name=f"Xã {n}", level="commune", division_type="xã", parent=world.province
        )
        committee = Agency.objects.create(
            name=f"UBND xã {n}", kind=Agency.Kind.COMMUNE_COMMITTEE, area=unit,
            identifier_code=f"1{n:02d}.00.00.H56", parent=world.province_committee,
        )
        Agency.objects.create(
            name=f"Trung tâm xã {n}", kind=Agency.Kind.COMMUNE_CENTRE, area=unit,
            identifier_code=f"1{n:02d}.00.06.H56", parent=committee,
        )
    with django_assert_max_num_queries(4):
        coverage = selectors.coverage(world.province_committee)
    committees = {c.agency_id for c in coverage.cases}
    assert len(committees) == 2 + communes
    # The new communes have nobody: every step of theirs is flagged.
    assert coverage.uncovered_steps > 0 if communes else coverage.uncovered_steps == 0


def test_cases_with_a_problem_come_first(world):
    WorkflowStep.objects.filter(case=world.case("2.002913", "TH1"), order=2).update(budget_hours=Decimal("1"))
    cases = selectors.coverage(world.committee).cases
    assert (cases[0].procedure_code, cases[0].case_code) == ("2.002913", "TH1")
    assert all(c.ok for c in cases[1:])
