"""Optional two-step sign-in (TOTP) for heads and admins."""

import re

import pyotp
import pytest
from django.utils import timezone

from motcua.org import services
from motcua.org.models import TotpDevice
from motcua.org.roles import Role

from .conftest import sign_in, wrong_code


@pytest.fixture
def head(world, with_password):
    return with_password(world.user(Role.HEAD_OF_AGENCY))


@pytest.fixture
def enrolled(head):
    device = TotpDevice.objects.create(user=head, secret=pyotp.random_base32(32), confirmed_at=timezone.now())
    return head, pyotp.TOTP(device.secret)


def test_a_head_enrols_with_the_qr_code_and_a_first_code(client, head):
    client.force_login(head)
    page = client.get("/tai-khoan/xac-thuc-hai-buoc/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "Bật xác thực hai bước" in html
    secret = re.search(r"<code>([A-Z2-7]{32})</code>", html).group(1)
    device = TotpDevice.objects.get(user=head)
    assert device.secret == secret and device.confirmed_at is None
    # Reloading keeps the same secret (the QR code already scanned stays good).
    assert secret in client.get("/tai-khoan/xac-thuc-hai-buoc/").content.decode()

    response = client.post("/tai-khoan/xac-thuc-hai-buoc/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed_at is not None


def test_enrolment_refuses_a_wrong_first_code(client, head):
    client.force_login(head)
    html = client.get("/tai-khoan/xac-thuc-hai-buoc/").content.decode()
    secret = re.search(r"<code>([A-Z2-7]{32})</code>", html).group(1)
    response = client.post("/tai-khoan/xac-thuc-hai-buoc/", {"code": wrong_code(secret)})
    assert response.status_code == 400
    assert "Mã xác thực không đúng" in response.content.decode()
    malformed = client.post("/tai-khoan/xac-thuc-hai-buoc/", {"code": "12ab"})
    assert malformed.status_code == 400 and "gồm đúng 6 chữ số" in malformed.content.decode()
    assert TotpDevice.objects.get(user=head).confirmed_at is None


def test_staff_without_a_head_or_admin_role_cannot_enrol(client, world):
    client.force_login(world.user(Role.ONE_STOP_OFFICER))
    response = client.get("/tai-khoan/xac-thuc-hai-buoc/")
    assert response.status_code == 403
    assert "dành cho lãnh đạo phòng, lãnh đạo đơn vị và quản trị đơn vị" in response.content.decode()
    assert not TotpDevice.objects.exists()
    with pytest.raises(services.OrgForbidden):
        services.start_totp_enrolment(world.user(Role.SPECIALIST))


def test_unit_admins_and_superusers_may_enrol(world, django_user_model):
    assert services.start_totp_enrolment(world.user(Role.UNIT_ADMIN)).confirmed_at is None
    root = django_user_model.objects.create_superuser("quantri", password="Quan-tri-2026!")
    assert services.start_totp_enrolment(root).confirmed_at is None


def test_once_enrolled_sign_in_asks_for_the_code_before_the_session_is_open(client, world, enrolled):
    head, totp = enrolled
    response = sign_in(client, head.username, next=f"/don-vi/{world.committee.pk}/bao-phu/")
    assert response.status_code == 302 and response["Location"] == "/dang-nhap/ma-xac-thuc/"
    assert "_auth_user_id" not in client.session
    # Not signed in yet: a protected page sends back to the sign-in page.
    assert client.get(f"/don-vi/{world.committee.pk}/bao-phu/")["Location"].startswith("/dang-nhap/")

    page = client.get("/dang-nhap/ma-xac-thuc/")
    assert page.status_code == 200 and "mã 6 chữ số" in page.content.decode()
    response = client.post("/dang-nhap/ma-xac-thuc/", {"code": totp.now()})
    assert response.status_code == 302 and response["Location"] == f"/don-vi/{world.committee.pk}/bao-phu/"
    assert client.session["_auth_user_id"] == str(head.pk)


def test_a_wrong_code_is_refused_and_the_session_stays_closed(client, enrolled):
    head, totp = enrolled
    sign_in(client, head.username)
    response = client.post("/dang-nhap/ma-xac-thuc/", {"code": wrong_code(totp.secret)})
    assert response.status_code == 400
    assert "Mã xác thực không đúng hoặc đã dùng. Còn 4 lần thử" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_code_is_accepted_once(client, enrolled):
    head, totp = enrolled
    code = totp.now()
    assert services.verify_totp(head, code) is True
    assert services.verify_totp(head, code) is False


def test_wrong_codes_count_as_failed_sign_ins_and_lock_the_name(client, enrolled):
    head, totp = enrolled
    sign_in(client, head.username)
    for _ in range(4):
        assert client.post("/dang-nhap/ma-xac-thuc/", {"code": wrong_code(totp.secret)}).status_code == 400
    locked = client.post("/dang-nhap/ma-xac-thuc/", {"code": wrong_code(totp.secret)})
    assert locked.status_code == 429
    assert f"Tên đăng nhập “{head.username}” đã bị khóa 15 phút" in locked.content.decode()
    # Locked: the right password is refused, so the code step is never reached.
    assert sign_in(client, head.username).status_code == 429
    assert client.post("/dang-nhap/ma-xac-thuc/", {"code": totp.now()})["Location"] == "/dang-nhap/"
    assert "_auth_user_id" not in client.session


def test_a_name_locked_meanwhile_refuses_even_the_right_code(client, enrolled):
    from django.test import Client

    head, totp = enrolled
    sign_in(client, head.username)  # password right, waiting for the code
    other = Client()
    for attempt in range(5):
        sign_in(other, head.username, f"sai-{attempt}")
    response = client.post("/dang-nhap/ma-xac-thuc/", {"code": totp.now()})
    assert response.status_code == 429 and "đã bị khóa" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_code_step_without_a_password_first_goes_back_to_sign_in(client, enrolled):
    _head, totp = enrolled
    response = client.post("/dang-nhap/ma-xac-thuc/", {"code": totp.now()})
    assert response.status_code == 302 and response["Location"] == "/dang-nhap/"
    assert "_auth_user_id" not in client.session


def test_two_step_sign_in_is_turned_off_with_the_current_code(client, enrolled):
    head, totp = enrolled
    client.force_login(head)
    page = client.get("/tai-khoan/xac-thuc-hai-buoc/").content.decode()
    assert "Tắt xác thực hai bước" in page
    refused = client.post("/tai-khoan/xac-thuc-hai-buoc/", {"code": wrong_code(totp.secret)})
    assert refused.status_code == 400 and TotpDevice.objects.filter(user=head).exists()
    assert client.post("/tai-khoan/xac-thuc-hai-buoc/", {"code": totp.now()}).status_code == 302
    assert not TotpDevice.objects.filter(user=head).exists()
    client.post("/dang-xuat/")
    assert sign_in(client, head.username)["Location"] == "/mot-cua/"


def test_the_admin_site_signs_in_through_the_same_page_and_asks_for_the_code(client, django_user_model):
    root = django_user_model.objects.create_superuser("quantri", password="Quan-tri-2026!")
    totp = pyotp.TOTP(
        TotpDevice.objects.create(user=root, secret=pyotp.random_base32(32), confirmed_at=timezone.now()).secret
    )
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/dang-nhap/?next=%2Fadmin%2F"
    response = client.post("/dang-nhap/", {"username": "quantri", "password": "Quan-tri-2026!", "next": "/admin/"})
    assert response["Location"] == "/dang-nhap/ma-xac-thuc/"
    assert client.get("/admin/").status_code == 302  # still outside
    response = client.post("/dang-nhap/ma-xac-thuc/", {"code": totp.now()})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_staff_without_admin_access_are_told_so(client, world):
    client.force_login(world.user(Role.SPECIALIST))
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 403
    assert "không có quyền vào trang quản trị" in response.content.decode()


# ---------------------------------------------------------------- enforced for heads and admins (issue 8)

@pytest.mark.parametrize("role", [Role.HEAD_OF_AGENCY, Role.HEAD_OF_DIVISION, Role.UNIT_ADMIN])
def test_heads_and_admins_must_turn_it_on_before_working(client, world, settings, role):
    settings.MOTCUA_REQUIRE_TOTP = True
    client.force_login(world.user(role))
    page = client.get("/mot-cua/don-vi/", follow=True)
    assert page.redirect_chain[-1][0] == "/tai-khoan/xac-thuc-hai-buoc/"
    assert "phải bật xác thực hai bước" in page.content.decode()
    refused = client.post("/mot-cua/tiep-nhan/", {"x": "1"})
    assert refused.status_code == 403


def test_other_staff_are_not_asked_and_enrolled_heads_work(client, world, settings, enrolled):
    settings.MOTCUA_REQUIRE_TOTP = True
    client.force_login(world.user(Role.SPECIALIST))
    assert client.get("/mot-cua/cua-toi/").status_code == 200
    head, _totp = enrolled
    client.force_login(head)
    assert client.get("/mot-cua/don-vi/").status_code == 200


def test_once_required_it_cannot_be_turned_off(client, settings, enrolled):
    settings.MOTCUA_REQUIRE_TOTP = True
    head, totp = enrolled
    client.force_login(head)
    page = client.post("/tai-khoan/xac-thuc-hai-buoc/", {"code": totp.now()})
    assert page.status_code == 400 and "bắt buộc" in page.content.decode()
    assert TotpDevice.objects.get(user=head).confirmed_at is not None


def test_the_api_is_no_way_round_the_second_factor(client, world, settings):
    """A head not yet enrolled is sent to enrolment by the pages; with the same session cookie the API
    refuses too (it used to stop dossiers), in Vietnamese, and writes nothing."""
    settings.MOTCUA_REQUIRE_TOTP = True
    d = world.new_dossier()
    events = d.events.count()
    client.force_login(world.user(Role.HEAD_OF_AGENCY))
    me = client.get("/api/v1/me")
    assert me.status_code == 403 and "phải bật xác thực hai bước" in me.json()["detail"]
    for action in ("stop", "receive", "approve"):
        moved = client.post(f"/api/v1/dossiers/{d.code}/actions/{action}", {"reason": "Thử"},
                            content_type="application/json")
        assert moved.status_code == 403
    d.refresh_from_db()
    assert d.events.count() == events


def test_an_enrolled_head_and_other_staff_use_the_api_with_their_session(client, world, settings, enrolled):
    settings.MOTCUA_REQUIRE_TOTP = True
    head, _totp = enrolled
    client.force_login(head)
    assert client.get("/api/v1/me").status_code == 200
    client.force_login(world.user(Role.SPECIALIST))
    assert client.get("/api/v1/me").status_code == 200
