"""The same online application with JavaScript switched off, on a 360 px screen: sign in, fill the e-form,
upload each paper with the plain form (one file per press of "Tải lên"), submit; one dossier, also when the
citizen goes back and presses "Nộp hồ sơ" again. And the tracking look-up: a wrong phone number with the
right code reveals nothing more than an unknown code does."""

import pytest
from django.utils import timezone

from motcua.applications.models import ApplicationDraft
from motcua.dossiers.models import Channel, Dossier, State
from motcua.portal.models import CitizenAccount
from tests.e2e.portal_helpers import (
    CITIZEN_PASSWORD,
    NAME,
    PHONE,
    PID,
    SMALL_PDF,
    ServerErrors,
    citizen_sign_in,
    resident,
    text,
)


@pytest.fixture
def no_js(browser, live_server, settings):
    settings.MOTCUA_PUBLIC_URL = live_server.url
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport={"width": 360, "height": 740},
                                  java_script_enabled=False)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.live_url = live_server.url
    yield page
    context.close()


def citizen_account():
    resident()
    account = CitizenAccount(personal_id=PID, full_name=NAME, phone=PHONE, phone_verified_at=timezone.now())
    account.set_password(CITIZEN_PASSWORD)
    account.save()
    return account


def apply_without_js(page, world, shot, tmp_path) -> Dossier:
    """Sign in from the procedure page, fill the e-form, upload each paper with the plain form, submit."""
    case = world.case("1.004222", "TH1")
    components = list(case.components.order_by("order"))
    page.goto("/thu-tuc/1.004222/")
    page.get_by_role("link", name="Nộp trực tuyến").click()
    page.wait_for_url("**/cong-dan/dang-nhap/?next=**")
    citizen_sign_in(page)
    page.wait_for_url(f"**/nop-truc-tuyen/{case.pk}/")  # back where he was going

    # ---- the e-form
    assert page.get_by_label("Họ, chữ đệm và tên *", exact=True).input_value() == NAME
    page.get_by_label("Địa chỉ nơi đề nghị đăng ký").fill("Số 5 ngõ 12 đường Bà Triệu, phường Hạc Thành")
    page.get_by_label("Nội dung đề nghị").fill("Đăng ký thường trú vào hộ gia đình của bố.")
    shot(page, "eform")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.wait_for_url(f"**/nop-truc-tuyen/{case.pk}/giay-to/")
    assert ApplicationDraft.objects.get().data["dia_chi_dang_ky"].startswith("Số 5 ngõ 12")

    # ---- the papers: without JavaScript every component has its own "Tải lên" button
    for component, name in ((components[0], "to-khai-ct01.pdf"), (components[1], "hop-dong-thue-nha.pdf")):
        path = tmp_path / name
        path.write_bytes(SMALL_PDF)
        form = page.locator(f'form.upload[data-component="{component.pk}"]')
        form.locator("input[type=file]").set_input_files(str(path))
        with page.expect_navigation():
            form.get_by_role("button", name="Tải lên").click()
        page.wait_for_url(f"**/nop-truc-tuyen/{case.pk}/giay-to/")
        assert f"{name} (" in text(page) and "đã tải lên" in text(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "papers")
    page.get_by_role("link", name="Tiếp tục: xem lại và nộp").click()

    # ---- review and submit
    page.wait_for_url(f"**/nop-truc-tuyen/{case.pk}/nop/")
    assert f"{components[0].name}: 1 tệp" in text(page)
    page.get_by_label("Nơi nộp hồ sơ").select_option(label="Trung tâm PVHCC phường Hạc Thành")
    page.get_by_label("Tại bộ phận một cửa").check()
    shot(page, "review")
    with page.expect_navigation():
        page.get_by_role("button", name="Nộp hồ sơ").click()
    page.wait_for_url("**/nop-truc-tuyen/da-nop/**")
    d = Dossier.objects.get()
    assert f"Mã hồ sơ: {d.code}" in text(page)
    shot(page, "submitted")
    return d


def test_apply_online_without_javascript(tworld, no_js, shot, tmp_path, settings):
    settings.MOTCUA_DVCQG_SYNC = False
    settings.MEDIA_ROOT = tmp_path / "uploads"
    errors = ServerErrors(no_js)
    citizen_account()
    d = apply_without_js(no_js, tworld, shot, tmp_path)
    components = list(d.case.components.order_by("order"))
    assert (d.state, d.channel, d.applicant_name, d.receiving_agency) == (
        State.SUBMITTED, Channel.ONLINE, NAME, tworld.centre)
    assert d.return_method == "counter"
    files = {c.component_id: [doc.original_name for doc in c.documents.all()] for c in d.components.all()}
    assert files[components[0].pk] == ["to-khai-ct01.pdf"] and files[components[1].pk] == ["hop-dong-thue-nha.pdf"]
    assert NAME in d.events.get(action="submit").actor_name

    # ---- back to the review step: it says the dossier was sent, and there is still one dossier
    no_js.goto(f"/nop-truc-tuyen/{d.case_id}/nop/")  # what the Back button asks for without JavaScript
    shot(no_js, "back-after-submit")
    assert d.code in text(no_js) and no_js.get_by_role("button", name="Nộp hồ sơ").count() == 0
    assert Dossier.objects.count() == 1
    assert errors.seen == []


def test_going_back_after_submitting_says_it_was_sent(tworld, no_js, shot, tmp_path, settings):
    settings.MOTCUA_DVCQG_SYNC = False
    settings.MEDIA_ROOT = tmp_path / "uploads"
    citizen_account()
    d = apply_without_js(no_js, tworld, shot, tmp_path)
    no_js.go_back()
    no_js.reload()  # whatever the browser kept, the review step asked again shows the dossier sent
    shot(no_js, "submitted-again")
    assert d.code in text(no_js) and "Hồ sơ chưa nộp được" not in text(no_js)


def _look_up(page, code: str, secret: str):
    page.goto("/tra-cuu/")
    page.get_by_label("Mã hồ sơ").fill(code)
    page.get_by_label("Số điện thoại hoặc số định danh cá nhân (12 chữ số)").fill(secret)
    with page.expect_navigation() as nav:
        page.get_by_role("button", name="Tra cứu").click()
    return nav.value


def test_a_wrong_phone_number_reveals_nothing(tworld, phone, shot, settings):
    settings.MOTCUA_DVCQG_SYNC = False
    d = tworld.new_dossier(applicant=tworld.applicant(name="Lê Thị Mai", phone="0912345678"))

    wrong = _look_up(phone, d.code, "0987654321")
    assert wrong.status == 404
    wrong_text = text(phone)
    wrong_html = phone.content()
    shot(phone, "wrong-phone")
    unknown = _look_up(phone, d.code[:-4] + "9999", "0987654321")
    assert unknown.status == 404
    assert text(phone) == wrong_text  # the same page as for a code that does not exist
    assert "Không tìm thấy hồ sơ với mã và số điện thoại hoặc số định danh đã nhập." in wrong_text
    for secret in ("Lê Thị Mai", "Đăng ký thường trú", d.competent_agency.name, "0912345678"):
        assert secret not in wrong_html
    # Nor does the dossier's address, typed by hand in the same browser.
    assert phone.goto(f"/tra-cuu/ho-so/{d.code}/").status == 404
    assert "Lê Thị Mai" not in phone.content()

    right = _look_up(phone, d.code.lower(), "091 234 5678")  # as people type them
    assert right.status == 200
    phone.wait_for_url(f"**/tra-cuu/ho-so/{d.code}/")
    assert phone.locator("h1").inner_text() == f"Hồ sơ {d.code}"
    assert "Đăng ký thường trú" in text(phone)
    shot(phone, "right-phone")
