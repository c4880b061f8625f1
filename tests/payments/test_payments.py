"""Online payment of a financial obligation through the sandbox gateway, which speaks the national
platform's protocol: paying resumes the dossier once, a forged result is refused and logged, and a
payment nobody came back from is found by the periodic re-check."""

import hashlib
from datetime import timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.utils import timezone

from motcua.dossiers import services
from motcua.dossiers.models import State
from motcua.org.roles import Role
from motcua.payments import protocol, providers
from motcua.payments import services as payments
from motcua.payments.models import Payment, PaymentNotice
from tests.factories import at


@pytest.fixture
def platform(tworld, live_server, settings):
    settings.MOTCUA_PUBLIC_URL = live_server.url  # the sandbox gateway is served by the project
    settings.MOTCUA_LOCAL_RECEIVERS = True
    settings.MOTCUA_DVCQG_SYNC = False
    return live_server


def awaiting_payment(w, amount=500_000):
    d = w.new_dossier(now=at("2026-11-16 08:55"))
    officer = w.user(Role.ONE_STOP_OFFICER)
    services.perform(d, "receive", actor=officer, now=at("2026-11-16 09:00"))
    services.perform(d, "forward", actor=officer, now=at("2026-11-16 10:00"))
    services.perform(d, "request_payment", actor=w.user(Role.SPECIALIST), now=at("2026-11-17 09:00"),
                     data={"amount": amount, "description": "Lệ phí trước bạ"})
    d.refresh_from_db()
    assert d.state == State.AWAITING_PAYMENT
    return d


def pay(client, payment, outcome="pay", **extra):
    """The citizen on the sandbox's page; returns the address the platform sends him back to."""
    response = client.post(urlsplit(payment.pay_url).path, {"outcome": outcome, **extra})
    return response


def back(client, location):
    parts = urlsplit(location)
    return client.get(parts.path, dict(parse_qsl(parts.query)))


def test_paying_resumes_the_dossier_once(platform, tworld, client):
    d = awaiting_payment(tworld)
    payment = payments.start(d, ip="127.0.0.1", return_url=f"{platform.url}/thanh-toan/ket-qua/")
    assert payment.amount == 500_000 and payment.reference.startswith("dvc") and payment.status == "khoi-tao"
    response = pay(client, payment)
    assert response.status_code == 302
    page = back(client, response["Location"])
    assert page.status_code == 200 and "Thanh toán thành công" in page.content.decode()
    d.refresh_from_db()
    payment.refresh_from_db()
    assert d.state == State.PROCESSING and payment.status == "thanh-cong" and payment.bank_code == "00"
    confirm = d.events.get(action="confirm_payment")
    assert confirm.actor_name == "Hệ thống" and confirm.data["payment_channel"] == "Trực tuyến"
    # The same result again (a reload, a resent callback): recorded once.
    assert back(client, response["Location"]).status_code == 200
    assert d.events.filter(action="confirm_payment").count() == 1


@pytest.mark.parametrize("change", [{"SoTien": "1000"}, {"MaLoi": "00", "MaThamChieu": "dvcKHONGCO"}, {"MaXacThuc": "0" * 64}])
def test_a_forged_or_altered_result_is_refused_and_logged(platform, tworld, client, change):
    d = awaiting_payment(tworld)
    payment = payments.start(d, ip="127.0.0.1", return_url=f"{platform.url}/thanh-toan/ket-qua/")
    location = pay(client, payment, outcome="cancel")["Location"]
    fields = dict(parse_qsl(urlsplit(location).query)) | change
    page = client.get("/thanh-toan/ket-qua/", fields)
    assert page.status_code == 400 and "Không ghi nhận được kết quả thanh toán" in page.content.decode()
    notice = PaymentNotice.objects.get()
    assert notice.accepted is False and notice.problem and notice.body == fields
    d.refresh_from_db()
    assert d.state == State.AWAITING_PAYMENT


def test_a_result_signed_with_another_secret_is_refused(platform, tworld, client):
    d = awaiting_payment(tworld)
    payment = payments.start(d, ip="127.0.0.1", return_url=f"{platform.url}/thanh-toan/ket-qua/")
    forged = {"MaThamChieu": payment.reference, "SoTien": "500000", "MaLoi": "00", "MaGiaoDich": "X1",
              "ThoiGianGD": payment.transaction_time}
    forged["MaXacThuc"] = hashlib.sha256(("|".join(forged.values()) + "|doan-mo").encode()).hexdigest()
    assert client.get("/thanh-toan/ket-qua/", forged).status_code == 400
    payment.refresh_from_db()
    assert payment.status == "khoi-tao"


def test_a_payment_nobody_came_back_from_is_found_by_the_recheck(platform, tworld, client):
    d = awaiting_payment(tworld)
    payment = payments.start(d, ip="127.0.0.1", return_url=f"{platform.url}/thanh-toan/ket-qua/")
    pay(client, payment, no_return="1")  # paid, then the phone lost its connection
    assert payments.recheck_unconfirmed(now=timezone.now() + timedelta(minutes=2)) == {
        "paid": 0, "failed": 0, "waiting": 0, "unreachable": 0}  # too early to ask
    counts = payments.recheck_unconfirmed(now=timezone.now() + timedelta(minutes=11))
    assert counts["paid"] == 1
    d.refresh_from_db()
    payment.refresh_from_db()
    assert d.state == State.PROCESSING and payment.status == "thanh-cong" and payment.checks == 1
    assert payments.recheck_unconfirmed(now=timezone.now() + timedelta(minutes=30))["paid"] == 0  # settled


def test_a_cancelled_payment_can_be_started_again(platform, tworld, client):
    d = awaiting_payment(tworld)
    first = payments.start(d, ip="127.0.0.1", return_url=f"{platform.url}/thanh-toan/ket-qua/")
    page = back(client, pay(client, first, outcome="cancel")["Location"])
    assert "Thanh toán chưa thành công" in page.content.decode()
    first.refresh_from_db()
    assert first.status == "that-bai"
    second = payments.start(d, ip="127.0.0.1", return_url=f"{platform.url}/thanh-toan/ket-qua/")
    assert second.reference != first.reference


def test_nothing_to_pay_is_refused(platform, tworld):
    d = tworld.new_dossier(now=at("2026-11-16 08:55"))
    d.fees.update(paid_at=timezone.now(), payment_channel="counter_cash")  # paid at the counter
    with pytest.raises(payments.PaymentRefused, match="không có khoản nào chờ thanh toán"):
        payments.start(d, ip="127.0.0.1", return_url="http://x/")
    assert not Payment.objects.exists()


def test_an_unreachable_platform_gives_a_clear_message(tworld, settings):
    settings.MOTCUA_PAYMENT_URL = "http://127.0.0.1:9/khong-co"
    settings.MOTCUA_DVCQG_SYNC = False
    d = awaiting_payment(tworld)
    with pytest.raises(providers.PaymentError, match="Chưa kết nối được nền tảng thanh toán"):
        payments.start(d, ip="127.0.0.1", return_url="http://x/")
    assert Payment.objects.get().status == "that-bai"


def test_checksum_is_sha256_of_the_pipe_joined_fields_and_secret():
    message = {name: f"v{i}" for i, name in enumerate(protocol.CHECK_FIELDS)}
    expected = hashlib.sha256(b"v0|v1|v2|v3|v4|bi-mat").hexdigest()
    assert protocol.signed(message, protocol.CHECK_FIELDS, "bi-mat")["MaXacThuc"] == expected
    assert protocol.is_signed(message | {"MaXacThuc": expected.upper()}, protocol.CHECK_FIELDS, "bi-mat")
    assert not protocol.is_signed(message | {"MaXacThuc": expected, "v": 1, "MaThamChieu": "x"}, protocol.CHECK_FIELDS, "bi-mat")


def test_fees_paid_online_before_processing(platform, tworld, client):
    d = tworld.new_dossier(now=at("2026-11-16 20:00"), channel=2)  # online: the online amount applies
    fee = d.fees.get()
    assert (fee.mode, fee.amount, fee.paid_at) == ("prepaid", 10_000, None)
    payment = payments.start(d, ip="127.0.0.1", return_url=f"{platform.url}/thanh-toan/ket-qua/")
    assert (payment.purpose, payment.amount) == ("fees", 10_000) and "Lệ phí đăng ký thường trú" in payment.description
    location = pay(client, payment)["Location"]
    page = back(client, location)
    assert "Thanh toán thành công" in page.content.decode()
    fee.refresh_from_db()
    d.refresh_from_db()
    assert fee.paid_at is not None and fee.payment_channel == "Trực tuyến"
    assert d.state == State.SUBMITTED  # paying does not receive the dossier
    event = d.events.get(action="pay_fees")
    assert event.data == {"reference": payment.reference, "amount": 10_000, "fees": ["Lệ phí đăng ký thường trú"]}
    with pytest.raises(payments.PaymentRefused, match="không có khoản nào chờ thanh toán"):
        payments.start(d, ip="127.0.0.1", return_url="http://x/")  # nothing left to pay
    assert back(client, location).status_code == 200  # a resent result: recorded once
    assert d.events.filter(action="pay_fees").count() == 1


def test_fees_paid_at_the_counter_meanwhile_leave_the_payment_paid(platform, tworld, client):
    from motcua.dossiers.models import DossierFee

    d = tworld.new_dossier(now=at("2026-11-16 20:00"), channel=2)
    payment = payments.start(d, ip="127.0.0.1", return_url=f"{platform.url}/thanh-toan/ket-qua/")
    DossierFee.objects.filter(dossier=d).update(paid_at=timezone.now(), payment_channel="counter_cash")
    back(client, pay(client, payment)["Location"])
    payment.refresh_from_db()
    assert payment.status == "thanh-cong"  # the money was taken: staff reconcile, nothing is lost
    assert not d.events.filter(action="pay_fees").exists()


def test_staff_see_the_payments_on_the_dossier_page(platform, tworld, client):
    d = tworld.new_dossier(now=at("2026-11-16 20:00"), channel=2)
    payment = payments.start(d, ip="127.0.0.1", return_url=f"{platform.url}/thanh-toan/ket-qua/")
    back(client, pay(client, payment)["Location"])
    client.force_login(tworld.user(Role.ONE_STOP_OFFICER))
    page = client.get(f"/mot-cua/ho-so/{d.code}/").content.decode()
    assert payment.reference in page and "Đã thanh toán" in page and "10.000 đồng" in page
    assert "Nộp phí, lệ phí trực tuyến" in page


def test_the_electronic_receipt_of_a_paid_transaction(platform, tworld, client):
    import subprocess
    import tempfile

    d = awaiting_payment(tworld, amount=250_000)
    payment = payments.start(d, ip="127.0.0.1", return_url=f"{platform.url}/thanh-toan/ket-qua/")
    with pytest.raises(payments.PaymentRefused, match="chưa có biên lai"):
        payments.receipt_pdf(payment)
    back(client, pay(client, payment)["Location"])
    payment.refresh_from_db()
    pdf = payments.receipt_pdf(payment)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        text = subprocess.run(["pdftotext", f.name, "-"], capture_output=True, text=True, check=True).stdout
    assert "BIÊN LAI THU TIỀN ĐIỆN TỬ" in text and payment.reference in text and "250.000 đồng" in text
    forged = client.post("/thanh-toan/sandbox/receipt", {"MaThamChieu": payment.reference, "MaXacThuc": "0" * 64},
                         content_type="application/json")
    assert forged.status_code == 400  # the platform hands receipts only to the signed request


def test_a_paid_result_that_no_longer_fits_is_kept_for_staff(platform, tworld, client):
    d = awaiting_payment(tworld, amount=300_000)
    payment = payments.start(d, ip="127.0.0.1", return_url=f"{platform.url}/thanh-toan/ket-qua/")
    assert payment.pause == d.pauses.get(ended_at__isnull=True)
    location = pay(client, payment, no_return="1")  # paid at the platform; the citizen never came back
    services.perform(d, "confirm_payment", actor=tworld.user(Role.ONE_STOP_OFFICER), now=at("2026-11-17 10:00"),
                     data={"payment_channel": "counter_cash"})  # and paid again at the counter
    assert location.status_code == 200
    payments.recheck_unconfirmed(now=timezone.now() + timedelta(minutes=11))
    payment.refresh_from_db()
    assert payment.status == "thanh-cong" and "không còn chờ nghĩa vụ tài chính" in payment.problem
    client.force_login(tworld.user(Role.ONE_STOP_OFFICER))
    assert payment.problem in client.get(f"/mot-cua/ho-so/{d.code}/").content.decode()


def signed_result(payment, **fields):
    """A result signed with the site's own secret, as someone who learnt it (or replays one) would send it."""
    message = {"MaThamChieu": payment.reference, "SoTien": str(payment.amount), "MaLoi": "00",
               "MaGiaoDich": "GD-GIA-MAO", "ThoiGianGD": payment.transaction_time} | fields
    message = {k: v for k, v in message.items() if v is not None}
    from django.conf import settings

    return protocol.signed(message, protocol.RESULT_FIELDS, settings.MOTCUA_PAYMENT_SECRET)


@pytest.mark.parametrize("left_out", ["SoTien", "MaGiaoDich", "MaLoi"])
def test_a_signed_result_missing_a_field_it_signs_is_refused(platform, tworld, client, left_out):
    d = awaiting_payment(tworld)
    payment = payments.start(d, ip="127.0.0.1", return_url=f"{platform.url}/thanh-toan/ket-qua/")
    page = client.get("/thanh-toan/ket-qua/", signed_result(payment, **{left_out: None}))
    assert page.status_code == 400 and left_out in page.content.decode()
    payment.refresh_from_db()
    d.refresh_from_db()
    assert payment.status == "khoi-tao" and d.state == State.AWAITING_PAYMENT


@pytest.mark.parametrize("change", [{"SoTien": "499999"}, {"SoTien": "５００000"}, {"SoTien": "500000.5"}])
def test_a_signed_result_that_does_not_match_the_attempt_is_refused(platform, tworld, client, change):
    d = awaiting_payment(tworld)
    payment = payments.start(d, ip="127.0.0.1", return_url=f"{platform.url}/thanh-toan/ket-qua/")
    assert client.get("/thanh-toan/ket-qua/", signed_result(payment, **change)).status_code == 400
    payment.refresh_from_db()
    assert payment.status == "khoi-tao"


def test_a_signed_paid_result_the_platform_does_not_confirm_is_never_recorded_as_paid(platform, tworld, client):
    d = awaiting_payment(tworld)
    payment = payments.start(d, ip="127.0.0.1", return_url=f"{platform.url}/thanh-toan/ket-qua/")
    page = client.get("/thanh-toan/ket-qua/", signed_result(payment))  # nobody paid at the platform (yet)
    assert page.status_code == 200 and "Đang chờ xác nhận thanh toán" in page.content.decode()
    payment.refresh_from_db()
    assert payment.status == "khoi-tao"
    pay(client, payment, outcome="cancel", no_return="1")  # the platform now says: failed
    page = client.get("/thanh-toan/ket-qua/", signed_result(payment))
    assert page.status_code == 400 and "chưa xác nhận" in page.content.decode()
    payment.refresh_from_db()
    d.refresh_from_db()
    assert payment.status == "khoi-tao" and d.state == State.AWAITING_PAYMENT
    assert not d.events.filter(action="confirm_payment").exists()


def test_a_failed_result_without_a_transaction_number_is_recorded_as_failed(platform, tworld, client):
    d = awaiting_payment(tworld)
    payment = payments.start(d, ip="127.0.0.1", return_url=f"{platform.url}/thanh-toan/ket-qua/")
    page = client.get("/thanh-toan/ket-qua/", signed_result(payment, MaLoi="51", MaGiaoDich=None))
    assert page.status_code == 200 and "Thanh toán chưa thành công" in page.content.decode()
    payment.refresh_from_db()
    assert payment.status == "that-bai"


@pytest.mark.parametrize("written, expected", [("150000", 150000), (150000, 150000), (150000.0, 150000),
                                               ("150000.00", 150000), ("150000.5", None), ("１５0", None),
                                               (True, None), ("", None), (-5, None)])
def test_amounts_from_the_platform_are_read_as_whole_dong(written, expected):
    assert providers._amount(written) == expected


def test_the_transaction_recorded_is_the_one_the_platform_confirms(platform, tworld, client):
    d = awaiting_payment(tworld)
    payment = payments.start(d, ip="127.0.0.1", return_url=f"{platform.url}/thanh-toan/ket-qua/")
    pay(client, payment, no_return="1")  # really paid; the return below claims another transaction number
    assert client.get("/thanh-toan/ket-qua/", signed_result(payment)).status_code == 200
    payment.refresh_from_db()
    from motcua.payments.models import SandboxTransaction

    platform_says = SandboxTransaction.objects.get(reference=payment.reference).transaction_id
    assert payment.status == "thanh-cong" and payment.provider_transaction == platform_says != "GD-GIA-MAO"


def test_a_result_that_cannot_be_confirmed_now_waits_for_the_recheck(platform, tworld, client, settings):
    d = awaiting_payment(tworld)
    payment = payments.start(d, ip="127.0.0.1", return_url=f"{platform.url}/thanh-toan/ket-qua/")
    location = pay(client, payment)["Location"]
    settings.MOTCUA_PAYMENT_URL = "http://127.0.0.1:9/khong-co"  # the platform cannot be asked just now
    page = back(client, location)
    assert page.status_code == 200 and "Đang chờ xác nhận thanh toán" in page.content.decode()
    payment.refresh_from_db()
    assert payment.status == "khoi-tao"
    settings.MOTCUA_PAYMENT_URL = ""
    assert payments.recheck_unconfirmed(now=timezone.now() + timedelta(minutes=11))["paid"] == 1
    d.refresh_from_db()
    assert d.state == State.PROCESSING


def test_a_flood_of_forged_payment_results_is_stopped_without_writing(db, client):
    from motcua.payments.models import PaymentNotice

    statuses = [client.get("/thanh-toan/ket-qua/", {"MaThamChieu": f"dvc{i}", "MaXacThuc": "0"}).status_code
                for i in range(14)]
    assert statuses[:10] == [400] * 10 and set(statuses[10:]) == {429}
    assert PaymentNotice.objects.count() == 10
