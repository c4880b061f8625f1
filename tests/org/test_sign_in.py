"""Staff sign-in: password, lockout by user name after 5 failures, argon2, sign-out."""

from datetime import timedelta

from axes.models import AccessAttempt
from django.contrib.auth.hashers import identify_hasher
from django.utils import timezone

from motcua.org.models import User
from motcua.org.roles import Role

from .conftest import PASSWORD, sign_in


def test_sign_in_with_the_right_password_opens_a_session_and_goes_to_the_desk(client, world, with_password):
    user = with_password(world.user(Role.ONE_STOP_OFFICER))
    response = sign_in(client, user.username)
    assert response.status_code == 302 and response["Location"] == "/mot-cua/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_sign_in_follows_a_local_next_but_not_another_site(client, world, with_password):
    user = with_password(world.user(Role.UNIT_ADMIN))
    response = sign_in(client, user.username, next=f"/don-vi/{world.committee.pk}/phan-quyen/")
    assert response["Location"] == f"/don-vi/{world.committee.pk}/phan-quyen/"
    client.post("/dang-xuat/")
    response = sign_in(client, user.username, next="https://lua-dao.example/")
    assert response["Location"] == "/mot-cua/"


def test_the_sign_in_page_is_in_vietnamese(client, world):
    response = client.get("/dang-nhap/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tên đăng nhập" in page and "Mật khẩu" in page and "Quên mật khẩu?" in page


def test_a_wrong_password_is_refused_in_vietnamese_with_the_attempts_left(client, world, with_password):
    user = with_password(world.user(Role.SPECIALIST))
    response = sign_in(client, user.username, "sai-mat-khau")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in page
    assert "Còn 4 lần thử" in page
    assert "_auth_user_id" not in client.session


def test_empty_fields_say_what_to_fill_in(client, world):
    response = client.post("/dang-nhap/", {"username": "", "password": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Hãy nhập tên đăng nhập." in page and "Hãy nhập mật khẩu." in page


def test_five_wrong_passwords_lock_the_user_name_and_even_the_right_one_is_refused(client, world, with_password):
    user = with_password(world.user(Role.SPECIALIST))
    for attempt in range(4):
        assert sign_in(client, user.username, f"sai-{attempt}").status_code == 400
    response = sign_in(client, user.username, "sai-lan-5")
    assert response.status_code == 429
    page = response.content.decode()
    assert f"Tên đăng nhập “{user.username}” đã bị khóa 15 phút vì nhập sai 5 lần liên tiếp" in page
    assert "Bạn có thể đăng nhập lại sau" in page

    response = sign_in(client, user.username, PASSWORD)
    assert response.status_code == 429
    assert "đã bị khóa 15 phút" in response.content.decode()
    assert "_auth_user_id" not in client.session

    # Locked by user name only: a colleague at the same counter (same address) still signs in.
    colleague = with_password(world.user(Role.ONE_STOP_OFFICER))
    assert sign_in(client, colleague.username).status_code == 302


def test_the_lock_ends_after_fifteen_minutes(client, world, with_password):
    user = with_password(world.user(Role.SPECIALIST))
    for attempt in range(5):
        sign_in(client, user.username, f"sai-{attempt}")
    assert sign_in(client, user.username).status_code == 429
    AccessAttempt.objects.filter(username=user.username).update(
        attempt_time=timezone.now() - timedelta(minutes=15, seconds=5)
    )
    assert sign_in(client, user.username).status_code == 302


def test_a_new_password_is_stored_as_argon2(world):
    user = User.objects.create_user("moi.canbo", password="Mot-mat-khau-dai-2026")
    assert user.password.startswith("argon2$")
    assert identify_hasher(user.password).algorithm == "argon2"
    assert user.check_password("Mot-mat-khau-dai-2026")


def test_sign_out_is_a_post_and_ends_the_session(client, world, with_password):
    user = with_password(world.user(Role.CLERK))
    sign_in(client, user.username)
    assert client.get("/dang-xuat/").status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post("/dang-xuat/")
    assert response.status_code == 302 and response["Location"] == "/dang-nhap/"
    assert "_auth_user_id" not in client.session


def test_a_system_account_cannot_sign_in_on_the_pages(client, world, with_password):
    system = with_password(world.users["system"])
    response = sign_in(client, system.username)
    assert response.status_code == 400
    assert "Tài khoản hệ thống chỉ dùng cho kết nối qua API" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_sign_in_and_lockout_pages_are_available_in_english(client, world, with_password):
    user = with_password(world.user(Role.SPECIALIST))
    assert "Staff sign-in" in client.get("/dang-nhap/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for attempt in range(5):
        response = client.post(
            "/dang-nhap/", {"username": user.username, "password": f"x{attempt}"}, HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.status_code == 429
    assert f"The user name “{user.username}” is locked for 15 minutes" in response.content.decode()


def test_a_signed_in_user_sent_back_to_the_sign_in_page_does_not_loop(client, world):
    client.force_login(world.user(Role.CLERK))
    response = client.get("/dang-nhap/?next=/dang-nhap/")
    assert response.status_code == 302 and response["Location"] == "/mot-cua/"
