"""Citizen accounts: sign-up with a phone code through the outbox, sign-in with rate limits, forgotten
password, sign-in through a national identity provider (a real OpenID Connect provider run by the test on
a local port), "Hồ sơ của tôi", and staff and citizen sessions kept apart."""

import base64
import hashlib
import json
import re
import threading
import time
import urllib.parse
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from joserfc import jwt
from joserfc.jwk import RSAKey

from motcua.dossiers import services
from motcua.integrations.models import ResidentRecord
from motcua.notify.models import OutboxMessage
from motcua.notify.text import without_diacritics
from motcua.org.roles import Role
from motcua.portal import accounts, oidc
from motcua.portal.identity import SESSION_KEY
from motcua.portal.models import CitizenAccount, OneTimeCode, Throttle
from tests.factories import at

PID = "038087042028"
PHONE = "0912345678"
PASSWORD = "Lua-Dong-Xuan-2026"
NEW_PASSWORD = "Cau-Rong-Thanh-Hoa-7"


def pid(i: int) -> str:
    return f"038087{i:06d}"


def phone(i: int) -> str:
    return f"09{i:08d}"


def sign_up(client, **overrides):
    ip = overrides.pop("ip", "127.0.0.1")
    data = {
        "personal_id": PID,
        "full_name": "Nguyễn Văn An",
        "phone": PHONE,
        "password1": PASSWORD,
        "password2": PASSWORD,
    } | overrides
    return client.post("/cong-dan/dang-ky/", data, REMOTE_ADDR=ip)


def last_code(recipient: str = PHONE) -> str:
    message = OutboxMessage.objects.filter(channel="sms", recipient=recipient).order_by("-pk").first()
    assert message is not None, "no SMS queued"
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def other_code(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def confirmed_account(personal_id=PID, phone_number=PHONE, password=PASSWORD, **extra) -> CitizenAccount:
    account = CitizenAccount(
        personal_id=personal_id, full_name="Nguyễn Văn An", phone=phone_number, phone_verified_at=timezone.now(), **extra
    )
    account.set_password(password)
    account.save()
    return account


def page(response) -> str:
    return response.content.decode()


# --------------------------------------------------------------------------------------------------
# Sign-up and confirmation
# --------------------------------------------------------------------------------------------------


def test_sign_up_sends_a_code_by_sms_and_the_code_confirms_the_phone_and_signs_in(client, db):
    response = sign_up(client, phone="+84 912 345 678")
    assert response.status_code == 302 and response["Location"] == "/cong-dan/xac-nhan/"
    account = CitizenAccount.objects.get(personal_id=PID)
    assert account.phone == PHONE and account.phone_verified_at is None
    assert account.password.startswith("argon2") and account.check_password(PASSWORD)
    assert SESSION_KEY not in client.session  # not signed in before the phone is confirmed

    message = OutboxMessage.objects.get(channel="sms")
    assert message.recipient == PHONE
    assert message.body.isascii() and message.body == without_diacritics(message.body)
    assert "Ma xac nhan dang ky" in message.body and "5 phut" in message.body
    code = last_code()
    stored = OneTimeCode.objects.get(account=account)
    assert code not in stored.code_hash and stored.expires_at - stored.created_at == timedelta(minutes=5)

    confirm_page = client.get("/cong-dan/xac-nhan/")
    assert confirm_page.status_code == 200 and "*******678" in page(confirm_page)
    response = client.post("/cong-dan/xac-nhan/", {"code": f"{code[:3]} {code[3:]}"})
    assert response.status_code == 302 and response["Location"] == "/cong-dan/ho-so/"
    assert client.session[SESSION_KEY] == account.pk
    account.refresh_from_db()
    assert account.phone_verified_at is not None
    # The code worked once.
    assert OneTimeCode.objects.get(account=account).used_at is not None


def test_a_wrong_code_is_refused_and_uses_one_try(client, db):
    sign_up(client)
    response = client.post("/cong-dan/xac-nhan/", {"code": other_code(last_code())})
    assert response.status_code == 400
    assert "Mã không đúng; còn 4 lần thử." in page(response)
    assert OneTimeCode.objects.get().attempts == 1
    assert SESSION_KEY not in client.session
    assert CitizenAccount.objects.get().phone_verified_at is None


@pytest.mark.parametrize("typed", ["", "12345", "abcdef", "1234567"])
def test_a_malformed_code_is_refused_without_using_a_try(client, db, typed):
    sign_up(client)
    response = client.post("/cong-dan/xac-nhan/", {"code": typed})
    assert response.status_code == 400 and "Mã xác nhận gồm đúng 6 chữ số" in page(response)
    assert OneTimeCode.objects.get().attempts == 0


def test_an_expired_code_is_refused(client, db):
    sign_up(client)
    code = last_code()
    OneTimeCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post("/cong-dan/xac-nhan/", {"code": code})
    assert response.status_code == 400 and "Mã đã hết hạn" in page(response)
    assert CitizenAccount.objects.get().phone_verified_at is None


def test_five_wrong_codes_kill_the_code_even_for_the_right_one(client, db):
    sign_up(client)
    code = last_code()
    statuses = [client.post("/cong-dan/xac-nhan/", {"code": other_code(code)}).status_code for _ in range(5)]
    assert statuses == [400, 400, 400, 400, 429]
    response = client.post("/cong-dan/xac-nhan/", {"code": code})
    assert response.status_code == 429 and "Đã nhập sai mã 5 lần" in page(response)
    assert CitizenAccount.objects.get().phone_verified_at is None


def test_resend_waits_a_minute_then_replaces_the_code(client, db):
    sign_up(client)
    first = last_code()
    response = client.post("/cong-dan/xac-nhan/", {"resend": "1"})
    assert response.status_code == 429 and "giây trước khi yêu cầu gửi lại" in page(response)
    assert OutboxMessage.objects.count() == 1

    OneTimeCode.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    response = client.post("/cong-dan/xac-nhan/", {"resend": "1"})
    assert response.status_code == 302 and OutboxMessage.objects.count() == 2
    second = last_code()
    if first != second:  # the first code stopped working (one in a million they are equal)
        response = client.post("/cong-dan/xac-nhan/", {"code": first})
        assert response.status_code == 400 and "Mã không đúng" in page(response)
    assert client.post("/cong-dan/xac-nhan/", {"code": second}).status_code == 302
    assert client.session[SESSION_KEY] == CitizenAccount.objects.get().pk


def test_three_codes_per_phone_per_hour(db):
    start = timezone.now()
    account = accounts.sign_up(personal_id=PID, full_name="Nguyễn Văn An", phone=PHONE, password=PASSWORD, now=start)
    accounts.send_code(account=account, purpose="sign_up", now=start + timedelta(minutes=2))
    accounts.send_code(account=account, purpose="sign_up", now=start + timedelta(minutes=4))
    with pytest.raises(accounts.RateLimited) as refused:
        accounts.send_code(account=account, purpose="sign_up", now=start + timedelta(minutes=6))
    assert refused.value.status == 429 and "thử lại sau 54 phút" in refused.value.message
    assert OutboxMessage.objects.count() == 3
    # An hour after the first, one more is allowed.
    accounts.send_code(account=account, purpose="sign_up", now=start + timedelta(minutes=61))
    assert OutboxMessage.objects.count() == 4


def test_codes_per_address_are_limited_and_the_refused_sign_up_writes_nothing(client, db):
    start = timezone.now()
    for i in range(accounts.CODES_PER_IP[0]):
        accounts.sign_up(
            personal_id=pid(i), full_name="Lê Thị Bình", phone=phone(i), password=PASSWORD, ip="10.1.1.1",
            now=start - timedelta(minutes=10),
        )
    response = sign_up(client, personal_id=pid(99), phone=phone(99), ip="10.1.1.1")
    assert response.status_code == 429
    assert "Có quá nhiều lượt đăng ký từ địa chỉ mạng này" in page(response)  # counted before anything else
    assert not CitizenAccount.objects.filter(personal_id=pid(99)).exists()
    assert not OutboxMessage.objects.filter(recipient=phone(99)).exists()
    # Another address is not held back.
    assert sign_up(client, personal_id=pid(99), phone=phone(99), ip="10.2.2.2").status_code == 302


@pytest.mark.parametrize(
    ("overrides", "field_text"),
    [
        ({"personal_id": "12345"}, "Số định danh cá nhân phải gồm đúng 12 chữ số"),
        ({"personal_id": "999087042028"}, "không phải mã tỉnh"),
        ({"personal_id": ""}, "Hãy nhập số định danh cá nhân 12 chữ số."),
        ({"full_name": "   "}, "Hãy nhập họ và tên"),
        ({"full_name": "Nguyen 2"}, "không được có chữ số"),
        ({"phone": "0212345678"}, "Số điện thoại di động phải gồm 10 chữ số"),
        ({"phone": "09123"}, "Số điện thoại di động phải gồm 10 chữ số"),
        ({"password1": "ngan", "password2": "ngan"}, "Mật khẩu quá ngắn: cần ít nhất 8 ký tự."),
        ({"password1": "password123", "password2": "password123"}, "Mật khẩu này quá phổ biến"),
        ({"password1": f"x{PID}", "password2": f"x{PID}"}, "không được chứa số định danh"),
        ({"password2": "Khac-Hoan-Toan-99"}, "Hai lần nhập mật khẩu không giống nhau"),
    ],
)
def test_bad_sign_up_input_is_refused_in_vietnamese_and_writes_nothing(client, db, overrides, field_text):
    response = sign_up(client, **overrides)
    assert response.status_code == 400
    assert field_text in page(response)
    assert CitizenAccount.objects.count() == 0 and OutboxMessage.objects.count() == 0 and Throttle.objects.count() == 0


def test_the_name_must_match_population_data_when_there_is_some(client, db):
    ResidentRecord.objects.create(
        personal_id=PID, full_name="Nguyễn Văn An", birth_date=date(1987, 3, 4), sex="nam", address="Thanh Hóa"
    )
    response = sign_up(client, full_name="Trần Văn Bảo")
    assert response.status_code == 400
    text = page(response)
    assert "không khớp với dữ liệu dân cư" in text and "Nguyễn Văn An" not in text  # the right name is not shown
    assert CitizenAccount.objects.count() == 0 and OutboxMessage.objects.count() == 0
    # Case and spacing do not matter; the diacritics do.
    assert sign_up(client, full_name="nguyễn  văn AN").status_code == 302


def test_an_id_with_a_confirmed_account_cannot_sign_up_again(client, db):
    confirmed_account()
    response = sign_up(client, phone=phone(7))
    assert response.status_code == 400 and "Số định danh này đã có tài khoản" in page(response)
    assert OutboxMessage.objects.count() == 0
    assert CitizenAccount.objects.get().phone == PHONE


def test_an_unconfirmed_sign_up_is_taken_over_by_the_next_one(client, db):
    sign_up(client, phone=phone(5))
    squatter_code = last_code(phone(5))
    other = client.__class__()
    assert sign_up(other, phone=PHONE).status_code == 302
    account = CitizenAccount.objects.get()
    assert account.phone == PHONE
    # The first sign-up's code no longer works.
    response = client.post("/cong-dan/xac-nhan/", {"code": squatter_code})
    assert response.status_code == 400
    assert other.post("/cong-dan/xac-nhan/", {"code": last_code()}).status_code == 302


def test_the_confirm_page_without_a_sign_up_sends_back_to_sign_up(client, db):
    response = client.get("/cong-dan/xac-nhan/")
    assert response.status_code == 302 and response["Location"] == "/cong-dan/dang-ky/"


# --------------------------------------------------------------------------------------------------
# Sign-in
# --------------------------------------------------------------------------------------------------


def sign_in(client, personal_id=PID, password=PASSWORD, ip="127.0.0.1", **extra):
    return client.post("/cong-dan/dang-nhap/", {"personal_id": personal_id, "password": password, **extra}, REMOTE_ADDR=ip)


def test_sign_in_with_id_and_password(client, db):
    account = confirmed_account()
    response = sign_in(client, personal_id="038 087 042 028", next="/cong-dan/ho-so/?trang=1")
    assert response.status_code == 302 and response["Location"] == "/cong-dan/ho-so/?trang=1"
    assert client.session[SESSION_KEY] == account.pk
    account.refresh_from_db()
    assert account.last_login_at is not None
    # Another site is never a destination.
    client.post("/cong-dan/dang-xuat/")
    assert sign_in(client, next="https://lua-dao.example/")["Location"] == "/cong-dan/ho-so/"


def test_a_wrong_password_is_refused_with_the_tries_left(client, db):
    confirmed_account()
    response = sign_in(client, password="sai-mat-khau-roi")
    assert response.status_code == 400
    assert "Số định danh hoặc mật khẩu không đúng. Còn 4 lần thử" in page(response)
    assert SESSION_KEY not in client.session
    # An unknown ID gets the same answer.
    response = sign_in(client, personal_id=pid(1))
    assert response.status_code == 400 and "Số định danh hoặc mật khẩu không đúng." in page(response)


@pytest.mark.parametrize(("personal_id", "password", "text"), [
    ("", PASSWORD, "Hãy nhập số định danh"),
    ("0380870420", PASSWORD, "phải gồm đúng 12 chữ số"),
    (PID, "", "Hãy nhập mật khẩu."),
])
def test_bad_sign_in_input_is_refused_and_not_counted(client, db, personal_id, password, text):
    confirmed_account()
    response = sign_in(client, personal_id=personal_id, password=password)
    assert response.status_code == 400 and text in page(response)
    assert Throttle.objects.count() == 0


def test_five_failures_lock_the_id_for_fifteen_minutes(client, db):
    confirmed_account()
    for _ in range(5):
        assert sign_in(client, password="sai-mat-khau-roi").status_code == 400
    response = sign_in(client)  # even the right password
    assert response.status_code == 429
    assert "đã đăng nhập sai 5 lần" in page(response) and "Quên mật khẩu" in page(response)
    assert SESSION_KEY not in client.session
    # Tries during the lockout do not extend it; when the window has passed, the right password works.
    Throttle.objects.update(at=timezone.now() - timedelta(minutes=16))
    assert sign_in(client).status_code == 302


def test_a_success_clears_the_failures_of_the_id(client, db):
    confirmed_account()
    for _ in range(4):
        sign_in(client, password="sai-mat-khau-roi")
    assert sign_in(client).status_code == 302
    client.post("/cong-dan/dang-xuat/")
    response = sign_in(client, password="sai-mat-khau-roi")
    assert "Còn 4 lần thử" in page(response)


def test_failures_from_one_address_are_limited_across_ids(client, db):
    confirmed_account()
    for i in range(accounts.SIGN_IN_PER_IP[0]):
        assert sign_in(client, personal_id=pid(i + 1), password="doan-bua-mat-khau", ip="10.9.9.9").status_code == 400
    response = sign_in(client, ip="10.9.9.9")
    assert response.status_code == 429 and "từ địa chỉ mạng này" in page(response)
    assert sign_in(client, ip="10.8.8.8").status_code == 302


def test_an_unconfirmed_account_with_the_right_password_goes_to_the_code_page(client, db):
    sign_up(client)
    other = client.__class__()
    response = sign_in(other)
    assert response.status_code == 302 and response["Location"] == "/cong-dan/xac-nhan/"
    assert SESSION_KEY not in other.session
    assert other.post("/cong-dan/xac-nhan/", {"code": last_code()}).status_code == 302
    assert other.session[SESSION_KEY] == CitizenAccount.objects.get().pk


def test_sign_out_needs_a_post_and_ends_the_citizen_session(client, db):
    confirmed_account()
    sign_in(client)
    assert client.get("/cong-dan/dang-xuat/").status_code == 405
    response = client.post("/cong-dan/dang-xuat/")
    assert response.status_code == 302 and SESSION_KEY not in client.session
    assert client.get("/cong-dan/ho-so/").status_code == 302


# --------------------------------------------------------------------------------------------------
# Forgotten password
# --------------------------------------------------------------------------------------------------


def test_a_forgotten_password_is_reset_with_a_code_sent_to_the_confirmed_phone(client, db):
    confirmed_account()
    for _ in range(5):
        sign_in(client, password="sai-mat-khau-roi")
    response = client.post("/cong-dan/quen-mat-khau/", {"personal_id": PID})
    assert response.status_code == 302 and response["Location"] == "/cong-dan/dat-lai-mat-khau/"
    message = OutboxMessage.objects.get(recipient=PHONE)
    assert message.body.isascii() and "Ma dat lai mat khau" in message.body
    code = last_code()

    response = client.post("/cong-dan/dat-lai-mat-khau/", {"code": code, "password1": "ngan", "password2": "ngan"})
    assert response.status_code == 400 and "Mật khẩu quá ngắn" in page(response)
    assert OneTimeCode.objects.get().attempts == 0  # a bad password does not use a try
    response = client.post("/cong-dan/dat-lai-mat-khau/", {"code": other_code(code), "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 400 and "Mã không đúng" in page(response)
    response = client.post("/cong-dan/dat-lai-mat-khau/", {"code": code, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/cong-dan/dang-nhap/"

    # The new password works at once (the reset lifted the lockout); the old one does not.
    assert sign_in(client, password=PASSWORD).status_code == 400
    assert sign_in(client, password=NEW_PASSWORD).status_code == 302


def test_a_reset_for_an_id_without_account_answers_the_same_and_sends_nothing(client, db):
    response = client.post("/cong-dan/quen-mat-khau/", {"personal_id": PID})
    assert response.status_code == 302 and response["Location"] == "/cong-dan/dat-lai-mat-khau/"
    assert OutboxMessage.objects.count() == 0
    assert Throttle.objects.filter(kind="code_ip").count() == 1  # counted against the address all the same
    response = client.post("/cong-dan/dat-lai-mat-khau/", {"code": "123456", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 400 and "Không có mã nào còn dùng được" in page(response)


def test_an_unconfirmed_account_gets_no_reset_code(client, db):
    sign_up(client)
    OutboxMessage.objects.all().delete()
    assert client.post("/cong-dan/quen-mat-khau/", {"personal_id": PID}).status_code == 302
    assert OutboxMessage.objects.count() == 0


def test_reset_codes_are_rate_limited(client, db):
    confirmed_account()
    assert client.post("/cong-dan/quen-mat-khau/", {"personal_id": PID}).status_code == 302
    response = client.post("/cong-dan/quen-mat-khau/", {"personal_id": PID})
    assert response.status_code == 429 and "giây" in page(response)
    response = client.post("/cong-dan/dat-lai-mat-khau/", {"resend": "1"})
    assert response.status_code == 429
    assert OutboxMessage.objects.count() == 1


def test_bad_reset_input(client, db):
    response = client.post("/cong-dan/quen-mat-khau/", {"personal_id": "abc"})
    assert response.status_code == 400 and "12 chữ số" in page(response)
    response = client.get("/cong-dan/dat-lai-mat-khau/")
    assert response.status_code == 302 and response["Location"] == "/cong-dan/quen-mat-khau/"


# --------------------------------------------------------------------------------------------------
# Staff and citizens
# --------------------------------------------------------------------------------------------------


def test_a_citizen_is_not_a_staff_user_and_a_staff_user_is_not_a_citizen(client, world):
    account = confirmed_account()
    sign_in(client)
    response = client.get("/cong-dan/ho-so/")
    assert response.status_code == 200
    assert response.wsgi_request.user.is_anonymous
    assert client.get("/mot-cua/").status_code == 302  # the desk still asks for a staff sign-in

    staff_client = client.__class__()
    staff_client.force_login(world.user(Role.ONE_STOP_OFFICER))
    response = staff_client.get("/cong-dan/ho-so/")
    assert response.status_code == 302 and response["Location"].startswith("/cong-dan/dang-nhap/")

    # One browser with both: signing the citizen out keeps the staff session.
    staff_client.post("/cong-dan/dang-nhap/", {"personal_id": PID, "password": PASSWORD})
    assert staff_client.session[SESSION_KEY] == account.pk
    assert staff_client.get("/cong-dan/ho-so/").wsgi_request.user.is_authenticated
    staff_client.post("/cong-dan/dang-xuat/")
    assert SESSION_KEY not in staff_client.session
    assert staff_client.get("/mot-cua/").wsgi_request.user == world.user(Role.ONE_STOP_OFFICER)


# --------------------------------------------------------------------------------------------------
# Hồ sơ của tôi
# --------------------------------------------------------------------------------------------------


def test_my_dossiers_lists_only_my_own_newest_first_with_state_due_date_and_tracking_link(client, world):
    confirmed_account()
    first = world.new_dossier()
    services.perform(first, "receive", actor=world.user(Role.ONE_STOP_OFFICER), now=at("2026-11-16 09:00"))
    second = world.new_dossier()
    theirs = world.new_dossier(applicant=world.applicant(personal_id=pid(4), name="Lê Thị Cúc"))
    sign_in(client)
    response = client.get("/cong-dan/ho-so/")
    assert response.status_code == 200
    text = page(response)
    assert first.code in text and second.code in text and theirs.code not in text
    assert text.index(second.code) < text.index(first.code)
    assert f'href="/tra-cuu/?ma={urllib.parse.quote(first.code, safe="")}"' in text
    first.refresh_from_db()
    assert first.get_state_display() in text
    assert str(accounts.PLAIN_STATE[first.state]) in text
    assert first.due_at and timezone.localtime(first.due_at).strftime("%d/%m/%Y") in text
    assert "Ngày hẹn trả kết quả" in text


def test_my_dossiers_takes_the_same_number_of_queries_for_one_or_many(client, world):
    confirmed_account()
    world.new_dossier()
    sign_in(client)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/cong-dan/ho-so/").status_code == 200
        return len(queries)

    one = count()
    for _ in range(3):
        world.new_dossier()
    assert count() == one


def test_my_dossiers_without_any(client, db):
    confirmed_account()
    sign_in(client)
    assert "Chưa có hồ sơ nào" in page(client.get("/cong-dan/ho-so/"))


def test_my_dossiers_asks_a_signed_out_visitor_to_sign_in(client, db):
    response = client.get("/cong-dan/ho-so/")
    assert response.status_code == 302
    assert response["Location"] == "/cong-dan/dang-nhap/?next=%2Fcong-dan%2Fho-so%2F"


# --------------------------------------------------------------------------------------------------
# National identity provider (OpenID Connect), against a provider served by the test
# --------------------------------------------------------------------------------------------------

CLIENT_ID = "motcua-portal"
CLIENT_SECRET = "bi-mat-cua-cong"


class FakeProvider:
    """A small OpenID Connect provider: discovery, JWKS, and a token endpoint that checks the client's
    credentials and the redirect URI, and answers each code once with an RS256-signed ID token."""

    def __init__(self):
        self.key = RSAKey.generate_key(2048, parameters={"kid": "k1", "use": "sig"})
        self.signing_key = self.key  # a test may sign with another key
        self.codes: dict[str, dict] = {}
        self.token_requests: list[dict] = []
        self.down = False
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def reply(self, status, data):
                body = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                if provider.down:
                    return self.reply(503, {"error": "down"})
                if self.path == "/.well-known/openid-configuration":
                    return self.reply(200, provider.discovery())
                if self.path == "/jwks":
                    return self.reply(200, {"keys": [provider.key.as_dict(private=False)]})
                return self.reply(404, {})

            def do_POST(self):
                if provider.down:
                    return self.reply(503, {"error": "down"})
                length = int(self.headers.get("Content-Length", 0))
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                provider.token_requests.append({"form": form, "authorization": self.headers.get("Authorization", "")})
                expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
                if self.headers.get("Authorization") != expected:
                    return self.reply(401, {"error": "invalid_client"})
                grant = provider.codes.pop(form.get("code", ""), None)
                if self.path != "/token" or grant is None or form.get("grant_type") != "authorization_code":
                    return self.reply(400, {"error": "invalid_grant"})
                if form.get("redirect_uri") != grant["redirect_uri"]:
                    return self.reply(400, {"error": "invalid_grant"})
                access_token = "at-" + form["code"]
                digest = hashlib.sha256(access_token.encode()).digest()[:16]
                now = int(time.time())
                claims = {
                    "iss": provider.issuer, "sub": "vneid-123", "aud": CLIENT_ID, "iat": now, "exp": now + 300,
                    "nonce": grant["nonce"], "at_hash": base64.urlsafe_b64encode(digest).rstrip(b"=").decode(),
                } | grant["claims"]
                id_token = jwt.encode({"alg": "RS256", "kid": "k1"}, claims, provider.signing_key)
                return self.reply(200, {"access_token": access_token, "token_type": "Bearer", "id_token": id_token})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def discovery(self):
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "id_token_signing_alg_values_supported": ["RS256"],
        }

    def authorize(self, location: str, **claims) -> dict:
        """What the provider does when the citizen agrees: a code for the request in `location`."""
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))
        code = f"code-{len(self.codes)}-{time.time_ns()}"
        self.codes[code] = {"nonce": query["nonce"], "redirect_uri": query["redirect_uri"], "claims": claims}
        return {"code": code, "state": query["state"]}

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def provider(settings):
    fake = FakeProvider()
    oidc.clear_cache()
    settings.MOTCUA_OIDC_ISSUER = fake.issuer
    settings.MOTCUA_OIDC_CLIENT_ID = CLIENT_ID
    settings.MOTCUA_OIDC_CLIENT_SECRET = CLIENT_SECRET
    settings.MOTCUA_OIDC_REDIRECT_URI = ""
    yield fake
    fake.close()
    oidc.clear_cache()


def start(client, next_url="/cong-dan/ho-so/"):
    response = client.post("/cong-dan/dinh-danh/", {"next": next_url})
    assert response.status_code == 302
    return response["Location"]


def test_sign_in_through_the_identity_provider_creates_a_verified_account(client, provider, db):
    assert "tài khoản định danh điện tử" in page(client.get("/cong-dan/dang-nhap/"))
    location = start(client)
    assert location.startswith(f"{provider.issuer}/authorize?")
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))
    assert query["response_type"] == "code" and query["client_id"] == CLIENT_ID and "openid" in query["scope"]
    assert query["redirect_uri"] == "http://testserver/cong-dan/dinh-danh/ve/"
    assert len(query["state"]) >= 32 and len(query["nonce"]) >= 32

    back = provider.authorize(location, personal_id=PID, name="Nguyễn Văn An", phone_number="0912345678",
                              phone_number_verified=True)
    response = client.get("/cong-dan/dinh-danh/ve/", back)
    assert response.status_code == 302 and response["Location"] == "/cong-dan/ho-so/"
    account = CitizenAccount.objects.get(personal_id=PID)
    assert account.identity_verified and account.full_name == "Nguyễn Văn An" and account.phone == PHONE
    assert account.phone_verified_at is not None and account.password == ""  # no password until one is set
    assert client.session[SESSION_KEY] == account.pk
    request = provider.token_requests[-1]
    assert request["form"]["redirect_uri"] == query["redirect_uri"] and "client_secret" not in request["form"]

    # The callback works once.
    response = client.get("/cong-dan/dinh-danh/ve/", back)
    assert response.status_code == 400 and "đã hết hạn hoặc đã dùng" in page(response)


def test_the_provider_marks_an_existing_account_verified_and_takes_over_an_unconfirmed_one(client, provider, db):
    squatter = client.__class__()
    sign_up(squatter, phone=phone(3))
    back = provider.authorize(start(client), personal_id=PID, name="Nguyễn Văn An")
    assert client.get("/cong-dan/dinh-danh/ve/", back).status_code == 302
    account = CitizenAccount.objects.get()
    assert account.identity_verified and account.phone == "" and account.password == ""
    assert account.phone_verified_at is None
    assert squatter.post("/cong-dan/xac-nhan/", {"code": last_code(phone(3))}).status_code == 400

    confirmed = confirmed_account(personal_id=pid(8))
    other = client.__class__()
    back = provider.authorize(start(other), personal_id=pid(8), name="Nguyễn Văn An")
    assert other.get("/cong-dan/dinh-danh/ve/", back).status_code == 302
    confirmed.refresh_from_db()
    assert confirmed.identity_verified and confirmed.check_password(PASSWORD) and confirmed.phone == PHONE


def test_a_wrong_state_is_refused(client, provider, db):
    back = provider.authorize(start(client), personal_id=PID)
    response = client.get("/cong-dan/dinh-danh/ve/", back | {"state": "gia-mao"})
    assert response.status_code == 400 and "không khớp" in page(response)
    assert CitizenAccount.objects.count() == 0 and provider.token_requests == []


def test_an_id_token_signed_by_another_key_is_refused(client, provider, db):
    provider.signing_key = RSAKey.generate_key(2048, parameters={"kid": "k1"})
    back = provider.authorize(start(client), personal_id=PID)
    response = client.get("/cong-dan/dinh-danh/ve/", back)
    assert response.status_code == 400 and "thông tin không hợp lệ" in page(response)
    assert CitizenAccount.objects.count() == 0 and SESSION_KEY not in client.session


def test_an_id_token_for_another_request_is_refused(client, provider, db):
    first = start(client)
    back = provider.authorize(first, personal_id=PID)
    provider.codes[back["code"]]["nonce"] = "mot-nonce-khac"
    response = client.get("/cong-dan/dinh-danh/ve/", back)
    assert response.status_code == 400 and CitizenAccount.objects.count() == 0


@pytest.mark.parametrize("claims", [{"aud": "ung-dung-khac"}, {"iss": "https://gia-mao.example"}, {"exp": 1000}])
def test_an_id_token_for_another_client_issuer_or_time_is_refused(client, provider, db, claims):
    back = provider.authorize(start(client), personal_id=PID, **claims)
    response = client.get("/cong-dan/dinh-danh/ve/", back)
    assert response.status_code == 400 and CitizenAccount.objects.count() == 0


def test_a_token_without_a_valid_personal_id_is_refused(client, provider, db):
    back = provider.authorize(start(client), personal_id="12345", name="Nguyễn Văn An")
    response = client.get("/cong-dan/dinh-danh/ve/", back)
    assert response.status_code == 400 and "số định danh cá nhân hợp lệ" in page(response)
    assert CitizenAccount.objects.count() == 0


def test_a_refusal_at_the_provider_and_a_missing_code(client, provider, db):
    back = provider.authorize(start(client), personal_id=PID)
    response = client.get("/cong-dan/dinh-danh/ve/", {"state": back["state"], "error": "access_denied"})
    assert response.status_code == 400 and "đã hủy hoặc chưa đồng ý" in page(response)
    back = provider.authorize(start(client), personal_id=PID)
    response = client.get("/cong-dan/dinh-danh/ve/", {"state": back["state"]})
    assert response.status_code == 400 and "Thiếu mã cấp quyền" in page(response)


def test_a_provider_that_is_down_gives_a_message_with_an_incident_number(client, provider, db):
    back = provider.authorize(start(client), personal_id=PID)
    provider.down = True
    response = client.get("/cong-dan/dinh-danh/ve/", back)
    assert response.status_code == 502
    assert "Không kết nối được với hệ thống định danh điện tử" in page(response)
    assert re.search(r"mã sự cố: <strong>[0-9a-f]{8}</strong>", page(response))


def test_without_settings_there_is_no_identity_provider_sign_in(client, db, settings):
    settings.MOTCUA_OIDC_ISSUER = ""
    assert "định danh điện tử (VNeID)" not in page(client.get("/cong-dan/dang-nhap/"))
    assert client.post("/cong-dan/dinh-danh/").status_code == 404
    assert client.get("/cong-dan/dinh-danh/ve/", {"code": "x", "state": "y"}).status_code == 404


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/cong-dan/dang-ky/", "Đăng ký tài khoản công dân"),
        ("/cong-dan/dang-nhap/", "Đăng nhập Cổng dịch vụ công"),
        ("/cong-dan/quen-mat-khau/", "Quên mật khẩu"),
    ],
)
def test_the_account_pages_are_light_vietnamese_forms(client, db, url, heading):
    response = client.get(url)
    assert response.status_code == 200
    text = page(response)
    assert heading in text and 'name="viewport"' in text and "<script" not in text
    assert 'autocomplete="username"' in text  # the ID box is what password managers fill
