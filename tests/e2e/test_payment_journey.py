"""A citizen pays a financial obligation in the sandbox gateway from a phone and comes back to a clear
answer; the dossier resumes. A forged result shows a refusal and changes nothing."""

from motcua.dossiers.models import State
from motcua.payments import services as payments
from motcua.payments.models import Payment
from tests.payments.test_payments import awaiting_payment


def test_citizen_pays_in_the_sandbox_from_a_phone(tworld, phone, shot, settings):
    settings.MOTCUA_DVCQG_SYNC = False
    d = awaiting_payment(tworld, amount=250_000)
    payment = payments.start(d, ip="127.0.0.1", return_url=f"{phone.live_url}/thanh-toan/ket-qua/")
    phone.goto(payment.pay_url)
    assert "250.000 đồng" in phone.inner_text("main")
    shot(phone, "sandbox-page")
    phone.get_by_role("button", name="Thanh toán").click()
    phone.wait_for_url("**/thanh-toan/ket-qua/**")
    assert phone.locator("h1").inner_text() == "Thanh toán thành công"
    assert f"Đã nhận 250.000 đồng cho hồ sơ {d.code}" in phone.inner_text("main")
    shot(phone, "paid")
    d.refresh_from_db()
    assert d.state == State.PROCESSING
    assert Payment.objects.get().status == "thanh-cong"


def test_a_forged_result_is_refused_in_the_browser(tworld, phone, shot, settings):
    settings.MOTCUA_DVCQG_SYNC = False
    d = awaiting_payment(tworld)
    payment = payments.start(d, ip="127.0.0.1", return_url=f"{phone.live_url}/thanh-toan/ket-qua/")
    phone.goto(f"/thanh-toan/ket-qua/?MaThamChieu={payment.reference}&SoTien=500000&MaLoi=00&MaGiaoDich=GIA"
               f"&ThoiGianGD={payment.transaction_time}&MaXacThuc={'a' * 64}")
    assert "Không ghi nhận được kết quả thanh toán" in phone.inner_text("main")
    shot(phone, "forged")
    d.refresh_from_db()
    assert d.state == State.AWAITING_PAYMENT


def test_a_result_the_platform_cannot_confirm_yet_says_to_wait_not_to_pay_again(tworld, phone, shot, settings):
    settings.MOTCUA_DVCQG_SYNC = False
    d = awaiting_payment(tworld, amount=250_000)
    payment = payments.start(d, ip="127.0.0.1", return_url=f"{phone.live_url}/thanh-toan/ket-qua/")
    phone.goto(payment.pay_url)
    settings.MOTCUA_PAYMENT_URL = "http://127.0.0.1:9/khong-co"  # the platform's CHECK cannot be reached now
    phone.get_by_role("button", name="Thanh toán").click()
    phone.wait_for_url("**/thanh-toan/ket-qua/**")
    assert phone.locator("h1").inner_text() == "Đang chờ xác nhận thanh toán"
    assert "Xin đừng thanh toán lại" in phone.inner_text("main")
    shot(phone, "waiting")
    d.refresh_from_db()
    assert d.state == State.AWAITING_PAYMENT and Payment.objects.get().status == "khoi-tao"
