"""The desk header offers the unit pages to those who may use them, and only to them."""

from django.urls import reverse

from motcua.org.roles import Role


def nav(client, user):
    client.force_login(user)
    return client.get(reverse("desk:unit-inbox")).content.decode()


def test_unit_admin_sees_roles_coverage_and_two_step(world, client):
    page = nav(client, world.user(Role.UNIT_ADMIN))
    assert reverse("org:roles", args=[world.committee.pk]) in page
    assert reverse("org:coverage", args=[world.committee.pk]) in page
    assert reverse("org:totp") in page and "Xác thực hai bước" in page


def test_a_specialist_sees_only_the_desk(world, client):
    page = nav(client, world.user(Role.SPECIALIST))
    assert "Phân quyền" not in page and "Bao phủ quy trình" not in page and reverse("org:totp") not in page
    assert "Hồ sơ của tôi" in page


def test_the_unit_pages_carry_the_desk_header(world, client):
    client.force_login(world.user(Role.UNIT_ADMIN))
    page = client.get(reverse("org:coverage", args=[world.committee.pk])).content.decode()
    assert "Hồ sơ của đơn vị" in page and 'aria-current="page">Bao phủ quy trình' in page
