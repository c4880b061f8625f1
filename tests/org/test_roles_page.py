"""Unit admins grant and revoke roles in their own unit and below; every change is audited."""

import re

import pytest

from motcua.org import services
from motcua.org.models import RoleAssignment, RoleAudit, User
from motcua.org.roles import Role


@pytest.fixture
def newcomer(db):
    return User.objects.create_user("le.thi.hoa", last_name="Lê Thị", first_name="Hoa")


def page(agency):
    return f"/don-vi/{agency.pk}/phan-quyen/"


def snapshot():
    return (
        set(RoleAssignment.objects.values_list("user_id", "role", "agency_id")),
        RoleAudit.objects.count(),
    )


def test_the_page_lists_holders_per_role_and_the_audit(client, world):
    admin = world.user(Role.UNIT_ADMIN)
    client.force_login(admin)
    response = client.get(page(world.committee))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Phân quyền tại UBND phường Hạc Thành" in html
    for role in Role:
        assert str(role.label) in html
    assert world.user(Role.CLERK).username in html
    assert world.user(Role.ONE_STOP_OFFICER).username in html  # granted at the centre, below the unit
    assert world.user(Role.CLERK, other=True).username not in html  # the other commune's clerk
    assert "Nhật ký phân quyền" in html


def test_a_unit_admin_grants_a_role_in_a_unit_below_and_it_is_audited(client, world, newcomer):
    admin = world.user(Role.UNIT_ADMIN)
    client.force_login(admin)
    response = client.post(
        page(world.committee), {"username": newcomer.username, "role": Role.ONE_STOP_OFFICER, "agency": world.centre.pk}
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=newcomer)
    assert (assignment.role, assignment.agency, assignment.granted_by) == (Role.ONE_STOP_OFFICER, world.centre, admin)
    entry = RoleAudit.objects.get(user=newcomer)
    assert entry.action == RoleAudit.Action.GRANTED and entry.role == Role.ONE_STOP_OFFICER
    assert (entry.agency, entry.actor) == (world.centre, admin)
    html = client.get(page(world.committee)).content.decode()
    assert "Đã cấp vai trò Cán bộ một cửa tại Trung tâm PVHCC phường Hạc Thành cho Lê Thị Hoa" in html
    assert re.search(r"Cấp quyền</td><td>Cán bộ một cửa</td>\s*<td>Lê Thị Hoa \(le\.thi\.hoa\)", html)


def test_granting_again_changes_nothing(client, world, newcomer):
    admin = world.user(Role.UNIT_ADMIN)
    services.grant_role(user=newcomer, role=Role.CLERK, agency=world.committee, granted_by=admin)
    before = snapshot()
    client.force_login(admin)
    client.post(page(world.committee), {"username": newcomer.username, "role": Role.CLERK, "agency": world.committee.pk})
    assert snapshot() == before


def test_a_unit_admin_revokes_a_role_and_it_is_audited(client, world):
    admin = world.user(Role.UNIT_ADMIN)
    clerk = world.user(Role.CLERK)
    assignment = RoleAssignment.objects.get(user=clerk, role=Role.CLERK)
    client.force_login(admin)
    response = client.post(f"{page(world.committee)}{assignment.pk}/thu-hoi/")
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    entry = RoleAudit.objects.get(action=RoleAudit.Action.REVOKED)
    assert (entry.user, entry.role, entry.agency, entry.actor) == (clerk, Role.CLERK, world.committee, admin)
    assert client.get(f"{page(world.committee)}{assignment.pk}/thu-hoi/").status_code == 405


def test_another_units_admin_gets_404_and_nothing_changes(client, world, newcomer):
    intruder = world.user(Role.UNIT_ADMIN, other=True)
    clerk_assignment = RoleAssignment.objects.get(user=world.user(Role.CLERK), role=Role.CLERK)
    before = snapshot()
    client.force_login(intruder)
    assert client.get(page(world.committee)).status_code == 404
    grant = client.post(page(world.committee), {"username": newcomer.username, "role": Role.CLERK, "agency": world.committee.pk})
    assert grant.status_code == 404
    assert client.post(f"{page(world.committee)}{clerk_assignment.pk}/thu-hoi/").status_code == 404
    # Through his own page he cannot reach an assignment of another unit either.
    assert client.post(f"{page(world.other_committee)}{clerk_assignment.pk}/thu-hoi/").status_code == 404
    assert snapshot() == before


def test_staff_who_are_not_admins_get_404(client, world):
    client.force_login(world.user(Role.HEAD_OF_AGENCY))
    assert client.get(page(world.committee)).status_code == 404


def test_an_agency_outside_the_subtree_cannot_be_chosen(client, world, newcomer):
    client.force_login(world.user(Role.UNIT_ADMIN))
    before = snapshot()
    response = client.post(
        page(world.committee), {"username": newcomer.username, "role": Role.CLERK, "agency": world.other_committee.pk}
    )
    assert response.status_code == 400
    assert "Chỉ được chọn đơn vị này hoặc một đơn vị trực thuộc" in response.content.decode()
    assert snapshot() == before


def test_the_service_refuses_a_grant_outside_the_admins_subtree_and_writes_nothing(world, newcomer):
    admin = world.user(Role.UNIT_ADMIN)
    before = snapshot()
    with pytest.raises(services.OrgForbidden) as refused:
        services.grant_role(user=newcomer, role=Role.CLERK, agency=world.other_committee, granted_by=admin)
    assert "Bạn chỉ được cấp quyền trong đơn vị mình quản trị và các đơn vị trực thuộc" in refused.value.message
    assert snapshot() == before


def test_a_unit_admin_cannot_grant_supervisor_above_his_unit(world, newcomer):
    admin = world.user(Role.UNIT_ADMIN)
    before = snapshot()
    with pytest.raises(services.OrgForbidden) as refused:
        services.grant_role(user=newcomer, role=Role.SUPERVISOR, agency=world.province_committee, granted_by=admin)
    assert "không được cấp quyền vai trò Giám sát, theo dõi ở đơn vị cấp trên" in refused.value.message
    assert snapshot() == before
    # Inside his unit a supervisor is his to grant.
    services.grant_role(user=newcomer, role=Role.SUPERVISOR, agency=world.committee, granted_by=admin)
    assert RoleAssignment.objects.filter(user=newcomer, role=Role.SUPERVISOR, agency=world.committee).exists()


def test_the_service_refuses_a_revocation_outside_the_admins_subtree(world):
    other_clerk = RoleAssignment.objects.get(user=world.user(Role.CLERK, other=True), role=Role.CLERK)
    before = snapshot()
    with pytest.raises(services.OrgForbidden):
        services.revoke_role(assignment=other_clerk, revoked_by=world.user(Role.UNIT_ADMIN))
    assert snapshot() == before


def test_an_admin_cannot_revoke_his_own_admin_role(client, world):
    admin = world.user(Role.UNIT_ADMIN)
    own = RoleAssignment.objects.get(user=admin, role=Role.UNIT_ADMIN)
    before = snapshot()
    client.force_login(admin)
    response = client.post(f"{page(world.committee)}{own.pk}/thu-hoi/")
    assert response.status_code == 400
    assert "không thể tự thu hồi quyền Quản trị đơn vị" in response.content.decode()
    assert snapshot() == before


def test_a_province_admin_administers_the_communes_below(client, world, newcomer):
    province_admin = User.objects.create_user("qt.tinh")
    services.grant_role(user=province_admin, role=Role.UNIT_ADMIN, agency=world.province_committee)
    client.force_login(province_admin)
    response = client.post(
        page(world.other_committee),
        {"username": newcomer.username, "role": Role.SPECIALIST, "agency": world.other_centre.pk},
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user=newcomer, agency=world.other_centre).exists()


def test_bad_input_says_what_to_fix(client, world):
    client.force_login(world.user(Role.UNIT_ADMIN))
    before = snapshot()
    response = client.post(page(world.committee), {"username": "khong.ton.tai", "role": "vua", "agency": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Không có tài khoản nào có tên đăng nhập “khong.ton.tai”" in html
    assert "Vai trò không hợp lệ" in html
    assert "Hãy chọn đơn vị." in html
    assert snapshot() == before


def test_a_locked_account_is_not_given_roles(client, world, newcomer):
    newcomer.is_active = False
    newcomer.save()
    client.force_login(world.user(Role.UNIT_ADMIN))
    response = client.post(
        page(world.committee), {"username": newcomer.username, "role": Role.CLERK, "agency": world.committee.pk}
    )
    assert response.status_code == 400
    assert "đang bị khóa" in response.content.decode()
    assert not RoleAssignment.objects.filter(user=newcomer).exists()


def test_the_audit_is_append_only(world, newcomer):
    services.grant_role(user=newcomer, role=Role.CLERK, agency=world.committee, granted_by=world.user(Role.UNIT_ADMIN))
    entry = RoleAudit.objects.get(user=newcomer)
    entry.role = Role.SUPERVISOR
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        RoleAudit.objects.filter(user=newcomer).update(role=Role.SUPERVISOR)
    with pytest.raises(TypeError):
        RoleAudit.objects.filter(user=newcomer).delete()
    assert RoleAudit.objects.get(pk=entry.pk).role == Role.CLERK
    # Removing the people keeps the row readable.
    newcomer.delete()
    entry = RoleAudit.objects.get(pk=entry.pk)
    assert entry.user is None and entry.user_label == "Lê Thị Hoa (le.thi.hoa)"
