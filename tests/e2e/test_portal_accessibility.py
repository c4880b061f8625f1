"""Every page a citizen opens, on a phone 360 px wide: axe-core finds no serious or critical problem, and
the page does not scroll sideways. Pages with a refusal or a notice on them (a wrong look-up, a sign-up with
mistakes, the code page after sign-up) are checked too: red error text and announced messages are where
problems hide. One test per page, so a known defect marks only its own page."""

import pytest

from motcua.dossiers.models import Channel
from motcua.payments import services as payments
from motcua.portal.models import CitizenAccount
from tests.e2e.portal_helpers import CITIZEN_PASSWORD, NAME, PHONE, PID, citizen_sign_in, resident, sign_up
from tests.payments.test_payments import awaiting_payment

WIDTH = 360


def _citizen(phone):
    """A confirmed account, signed in by typing on /cong-dan/dang-nhap/."""
    from django.utils import timezone

    resident()
    account = CitizenAccount(personal_id=PID, full_name=NAME, phone=PHONE, phone_verified_at=timezone.now())
    account.set_password(CITIZEN_PASSWORD)
    account.save()
    phone.goto("/cong-dan/dang-nhap/")
    citizen_sign_in(phone)
    assert "/cong-dan/ho-so/" in phone.url
    return account


def _online_dossier(world):
    """Sent from the portal by the signed-in citizen, its fees not yet paid."""
    return world.new_dossier(case=world.case("1.004222", "TH1"), actor=None, channel=Channel.ONLINE,
                             applicant=world.applicant())


def _case_id(world) -> int:
    return world.case("1.004222", "TH1").pk


def look_up_refused(phone, world):
    phone.goto("/tra-cuu/")
    phone.get_by_label("Mã hồ sơ").fill("000.00.06.H56-261231-9999")
    phone.get_by_label("Số điện thoại hoặc số định danh cá nhân (12 chữ số)").fill("0912345678")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Tra cứu").click()
    assert "Không tìm thấy hồ sơ" in phone.inner_text("main")


def sign_up_mistakes(phone, world):
    phone.goto("/cong-dan/dang-ky/")
    sign_up(phone, personal_id="12345", name="", phone="123", password="123")
    assert phone.locator(".errorlist").count() >= 3


def code_page(phone, world):
    phone.goto("/cong-dan/dang-ky/")
    sign_up(phone)
    assert phone.locator("h1").inner_text() == "Xác nhận số điện thoại"


def my_dossiers(phone, world):
    _citizen(phone)
    _online_dossier(world)
    phone.goto("/cong-dan/ho-so/")
    assert phone.locator("section.dossier").count() == 1


def apply_step(n):
    def go(phone, world):
        _citizen(phone)
        case_id = _case_id(world)
        phone.goto([f"/nop-truc-tuyen/{case_id}/", f"/nop-truc-tuyen/{case_id}/giay-to/",
                    f"/nop-truc-tuyen/{case_id}/nop/"][n - 1])
    return go


def eform_mistakes(phone, world):
    _citizen(phone)
    phone.goto(f"/nop-truc-tuyen/{_case_id(world)}/")
    phone.get_by_label("Họ, chữ đệm và tên *", exact=True).fill("")
    # The browser's own check stops an empty required box; the server's messages (what an older browser
    # gets, and what a wrong date or number gets) are what is checked here: post the form as it is.
    with phone.expect_navigation():
        phone.evaluate("""() => { const f = document.querySelector('form.apply'); const i = document.createElement('input');
                          i.type = 'hidden'; i.name = 'next'; f.appendChild(i); f.submit(); }""")
    assert phone.locator(".errorlist").count() >= 1


def tracked_dossier(phone, world):
    _citizen(phone)
    d = _online_dossier(world)
    phone.goto(f"/tra-cuu/ho-so/{d.code}/")
    assert phone.get_by_role("button", name="Thanh toán trực tuyến").is_visible()


def sandbox_page(phone, world):
    tracked_dossier(phone, world)
    phone.get_by_role("button", name="Thanh toán trực tuyến").click()
    phone.wait_for_url("**/thanh-toan/sandbox/pay/**")


def payment_result(phone, world):
    sandbox_page(phone, world)
    phone.get_by_role("button", name="Thanh toán", exact=True).click()
    phone.wait_for_url("**/thanh-toan/ket-qua/**")
    assert phone.locator("h1").inner_text() == "Thanh toán thành công"


def payment_refused(phone, world):
    d = awaiting_payment(world)
    payment = payments.start(d, ip="127.0.0.1", return_url=f"{phone.live_url}/thanh-toan/ket-qua/")
    phone.goto(f"/thanh-toan/ket-qua/?MaThamChieu={payment.reference}&SoTien=1&MaLoi=00&MaGiaoDich=X"
               f"&ThoiGianGD={payment.transaction_time}&MaXacThuc={'a' * 64}")
    assert "Không ghi nhận được kết quả thanh toán" in phone.inner_text("main")


def public(path):
    def go(phone, world):
        assert phone.goto(path).status == 200
    return go


PAGES = {
    "home": public("/"),
    "procedures": public("/thu-tuc/"),
    "search": public("/thu-tuc/?q=thuong+tru"),
    "procedure": public("/thu-tuc/1.004222/"),
    "track": public("/tra-cuu/"),
    "sign-up": public("/cong-dan/dang-ky/"),
    "sign-in": public("/cong-dan/dang-nhap/"),
    "forgot": public("/cong-dan/quen-mat-khau/"),
    "feedback": public("/danh-gia/phan-anh/"),
    "feedback-follow": public("/danh-gia/phan-anh/theo-doi/"),
    "look-up-refused": look_up_refused,
    "sign-up-mistakes": sign_up_mistakes,
    "code-page": code_page,
    "my-dossiers": my_dossiers,
    "apply-1-eform": apply_step(1),
    "apply-1-eform-mistakes": eform_mistakes,
    "apply-2-papers": apply_step(2),
    "apply-3-review": apply_step(3),
    "tracked-dossier": tracked_dossier,
    "sandbox": sandbox_page,
    "payment-result": payment_result,
    "payment-refused": payment_refused,
}
KNOWN: dict[str, str] = {}  # pages with a known, not yet fixed violation (none now)


def _param(name):
    marks = [pytest.mark.xfail(strict=True, reason=KNOWN[name])] if name in KNOWN else []
    return pytest.param(name, marks=marks, id=name)


@pytest.mark.parametrize("name", [_param(n) for n in PAGES])
def test_citizen_page_at_360px(tworld, phone, axe, shot, settings, tmp_path, name):
    settings.MOTCUA_DVCQG_SYNC = False
    settings.MEDIA_ROOT = tmp_path / "uploads"
    PAGES[name](phone, tworld)
    shot(phone, name)
    found = {"axe": axe(phone), "sideways": phone.evaluate("document.documentElement.scrollWidth") > WIDTH}
    assert found == {"axe": [], "sideways": False}
