"""Password reset by e-mail: the link goes through the outbox, works once, and the request page does
not tell whether an address has an account."""

import re

from motcua.notify.models import OutboxMessage
from motcua.org.roles import Role

from .conftest import PASSWORD, sign_in

LINK = re.compile(r"http://testserver(/dat-lai-mat-khau/[^/\s]+/[^/\s]+/)")
NEW_PASSWORD = "Mat-khau-moi-Ham-Rong-7"


def ask_reset(client, email):
    return client.post("/quen-mat-khau/", {"email": email})


def test_the_reset_mail_is_queued_in_the_outbox_with_a_working_link(client, world, with_password):
    user = with_password(world.user(Role.SPECIALIST))
    response = ask_reset(client, user.email.upper())
    assert response.status_code == 302 and response["Location"] == "/quen-mat-khau/da-gui/"

    message = OutboxMessage.objects.get(channel="email")
    assert message.recipient == user.email
    assert user.username in message.subject
    link = LINK.search(message.body).group(1)

    page = client.get(link)
    assert page.status_code == 200 and "Đặt mật khẩu mới" in page.content.decode()
    response = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/dang-nhap/"

    assert sign_in(client, user.username, PASSWORD).status_code == 400
    assert sign_in(client, user.username, NEW_PASSWORD).status_code == 302

    # One time only.
    client.post("/dang-xuat/")
    again = client.get(link)
    assert again.status_code == 400
    assert "đã được dùng, đã hết hạn hoặc không đúng" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_nothing_is_queued(client, world, with_password):
    with_password(world.user(Role.SPECIALIST))
    known = ask_reset(client, world.user(Role.SPECIALIST).email)
    unknown = ask_reset(client, "khong-co-ai@thanhhoa.gov.vn")
    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"]
    assert OutboxMessage.objects.filter(recipient="khong-co-ai@thanhhoa.gov.vn").count() == 0
    assert OutboxMessage.objects.count() == 1
    sent_page = client.get(unknown["Location"]).content.decode()
    assert "Nếu địa chỉ này thuộc một tài khoản cán bộ" in sent_page


def test_asking_again_at_once_does_not_flood_the_mailbox(client, world, with_password):
    user = with_password(world.user(Role.SPECIALIST))
    for _ in range(3):
        ask_reset(client, user.email)
    assert OutboxMessage.objects.filter(recipient=user.email).count() == 1


def test_a_malformed_address_is_refused_in_vietnamese(client, world):
    response = ask_reset(client, "khong-phai-dia-chi")
    assert response.status_code == 400
    assert "Địa chỉ thư điện tử không hợp lệ" in response.content.decode()
    assert OutboxMessage.objects.count() == 0


def test_a_weak_or_mismatched_new_password_is_refused_and_the_link_still_works(client, world, with_password):
    user = with_password(world.user(Role.SPECIALIST))
    ask_reset(client, user.email)
    link = LINK.search(OutboxMessage.objects.get().body).group(1)
    short = client.post(link, {"new_password1": "abc", "new_password2": "abc"})
    assert short.status_code == 400 and "Mật khẩu quá ngắn" in short.content.decode()
    mismatch = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"})
    assert mismatch.status_code == 400 and "không giống nhau" in mismatch.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert client.get(link).status_code == 200


def test_a_tampered_link_is_refused(client, world, with_password):
    user = with_password(world.user(Role.SPECIALIST))
    ask_reset(client, user.email)
    link = LINK.search(OutboxMessage.objects.get().body).group(1)
    tampered = link[:-3] + ("aa/" if not link.endswith("aa/") else "bb/")
    assert client.get(tampered).status_code == 400
    assert client.get("/dat-lai-mat-khau/khong-hop-le/abc/").status_code == 400


def test_a_reset_lifts_the_sign_in_lockout(client, world, with_password):
    user = with_password(world.user(Role.SPECIALIST))
    for attempt in range(5):
        sign_in(client, user.username, f"sai-{attempt}")
    assert sign_in(client, user.username).status_code == 429
    ask_reset(client, user.email)
    link = LINK.search(OutboxMessage.objects.get().body).group(1)
    client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert sign_in(client, user.username, NEW_PASSWORD).status_code == 302
