"""Who grants a role is never who receives it, and a unit admin does not manage the roles of system
accounts (API connections) or of superusers. Enforced in org.services, so every door that grants or
revokes (the unit's roles page, the admin site) refuses alike: 403 with a Vietnamese message, the
refusal written to the audit log, nothing written in the tables.

Decided: an officer may give up a role of his own (a unit admin who no longer heads the unit revokes his
head-of-agency role), except his own unit-admin role (another admin must take it, so that a unit is not
left without one by mistake); a superuser manages system and superuser accounts, but not himself either.
"""

import logging

import pytest
from django.test import Client
from django.urls import reverse

from motcua.org import services
from motcua.org.models import RoleAssignment, RoleAudit, User
from motcua.org.roles import Role


def page(agency):
    return f"/don-vi/{agency.pk}/phan-quyen/"


def snapshot():
    return set(RoleAssignment.objects.values_list("user_id", "role", "agency_id")), RoleAudit.objects.count()


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("quantri.he.thong", "qt@vidu.vn", "x-Mat-khau-dai-2026")


@pytest.fixture
def audit(caplog):
    caplog.set_level(logging.WARNING, logger="motcua.audit")
    return lambda: [r.getMessage() for r in caplog.records if r.name == "motcua.audit"]


def test_a_unit_admin_cannot_grant_himself_head_of_agency(client, world, audit):
    admin = world.user(Role.UNIT_ADMIN)
    client.force_login(admin)
    before = snapshot()
    response = client.post(page(world.committee), {"username": admin.username, "role": Role.HEAD_OF_AGENCY,
                                                   "agency": world.committee.pk})
    assert response.status_code == 403
    assert "Không ai được tự cấp quyền cho chính mình" in response.content.decode()
    assert snapshot() == before
    [logged] = audit()
    assert "role grant refused" in logged and admin.username in logged and Role.HEAD_OF_AGENCY in logged


@pytest.mark.parametrize("who", ["system", "superuser"])
def test_a_unit_admin_cannot_give_roles_to_system_or_superuser_accounts(client, world, superuser, audit, who):
    grantee = world.user("system") if who == "system" else superuser
    client.force_login(world.user(Role.UNIT_ADMIN))
    before = snapshot()
    response = client.post(page(world.committee), {"username": grantee.username, "role": Role.SPECIALIST,
                                                   "agency": world.committee.pk})
    assert response.status_code == 403
    html = response.content.decode()
    assert ("tài khoản hệ thống" if who == "system" else "quản trị toàn hệ thống") in html
    assert "chỉ quản trị toàn hệ thống" in html
    assert snapshot() == before
    assert len(audit()) == 1 and grantee.username in audit()[0]


def test_the_service_refuses_the_same_whatever_calls_it(world, superuser):
    admin = world.user(Role.UNIT_ADMIN)
    before = snapshot()
    for user in (admin, world.user("system"), superuser):
        with pytest.raises(services.OrgForbidden):
            services.grant_role(user=user, role=Role.HEAD_OF_AGENCY, agency=world.committee, granted_by=admin)
        with pytest.raises(services.OrgForbidden):
            services.check_grant(user=user, role=Role.HEAD_OF_AGENCY, agency=world.committee, granted_by=admin)
    # A superuser does not grant himself anything either.
    with pytest.raises(services.OrgForbidden, match="tự cấp quyền"):
        services.grant_role(user=superuser, role=Role.HEAD_OF_AGENCY, agency=world.committee, granted_by=superuser)
    assert snapshot() == before


def test_a_superuser_manages_system_accounts_and_the_system_itself_still_seeds(world, superuser):
    system = world.user("system")
    granted = services.grant_role(user=system, role=Role.ONE_STOP_OFFICER, agency=world.centre, granted_by=superuser)
    assert granted.created and granted.granted_by == superuser
    other = User.objects.create_superuser("quantri.2", "qt2@vidu.vn", "x-Mat-khau-dai-2026")
    services.grant_role(user=other, role=Role.SUPERVISOR, agency=world.province_committee, granted_by=superuser)
    services.grant_role(user=system, role=Role.POSTAL_AGENT, agency=world.centre)  # seed data, commands
    services.revoke_role(assignment=granted, revoked_by=superuser)
    assert not RoleAssignment.objects.filter(pk=granted.pk).exists()


def test_a_unit_admin_cannot_revoke_roles_of_a_system_account(client, world, superuser, audit):
    granted = services.grant_role(user=world.user("system"), role=Role.ONE_STOP_OFFICER, agency=world.centre,
                                  granted_by=superuser)
    client.force_login(world.user(Role.UNIT_ADMIN))
    before = snapshot()
    response = client.post(f"{page(world.committee)}{granted.pk}/thu-hoi/")
    assert response.status_code == 403
    assert "chỉ quản trị toàn hệ thống" in response.content.decode()
    assert snapshot() == before
    assert len(audit()) == 1 and "role revocation refused" in audit()[0]


def test_an_officer_may_give_up_a_role_of_his_own_but_not_his_unit_admin_role(client, world):
    admin = world.user(Role.UNIT_ADMIN)
    head = services.grant_role(user=admin, role=Role.HEAD_OF_AGENCY, agency=world.committee)  # by the system
    client.force_login(admin)
    assert client.post(f"{page(world.committee)}{head.pk}/thu-hoi/").status_code == 302
    entry = RoleAudit.objects.filter(action=RoleAudit.Action.REVOKED).get()
    assert (entry.user, entry.actor, entry.role) == (admin, admin, Role.HEAD_OF_AGENCY)
    own_admin = RoleAssignment.objects.get(user=admin, role=Role.UNIT_ADMIN)
    assert client.post(f"{page(world.committee)}{own_admin.pk}/thu-hoi/").status_code == 400
    assert RoleAssignment.objects.filter(pk=own_admin.pk).exists()


def test_the_admin_site_refuses_a_self_grant_and_writes_nothing(world, superuser, audit):
    browser = Client()
    browser.force_login(superuser)
    before = snapshot()
    response = browser.post(reverse("admin:org_roleassignment_add"),
                            {"user": superuser.pk, "role": Role.HEAD_OF_AGENCY, "agency": world.committee.pk})
    assert response.status_code == 200  # the form again, with the refusal
    assert "Không ai được tự cấp quyền cho chính mình" in response.content.decode()
    assert snapshot() == before
    assert len(audit()) == 1
    # The same superuser gives a system account its role there.
    response = browser.post(reverse("admin:org_roleassignment_add"),
                            {"user": world.user("system").pk, "role": Role.CLERK, "agency": world.committee.pk})
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user=world.user("system"), role=Role.CLERK).exists()
