"""The admin site: its sign-in page keeps a signed-in user on this site, and the role audit reads in Vietnamese
dates (org/admin.py, org/views.py)."""


from motcua.org.roles import Role


def test_the_admin_login_does_not_send_a_signed_in_user_to_another_site(client, world):
    user = world.user(Role.UNIT_ADMIN)
    user.is_staff = True
    user.save()
    client.force_login(user)
    response = client.get("/admin/login/", {"next": "https://evil.example/dang-nhap/"})
    assert response.status_code == 302
    assert not response["Location"].startswith("https://evil.example"), response["Location"]


def test_an_audit_entry_names_the_vietnamese_date_and_time(world):
    from django.utils import timezone

    from motcua.org.models import RoleAudit

    entry = RoleAudit.objects.filter(action=RoleAudit.Action.GRANTED).first()  # as the admin reads it
    local = timezone.localtime(entry.at)
    assert str(entry).startswith(f"{local:%d/%m/%Y %H:%M}"), (str(entry), local)
