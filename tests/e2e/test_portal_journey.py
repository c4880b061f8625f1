"""The citizen's whole journey on a cheap phone (360 px), every step clicked by the person whose step it is:
search without accents → the procedure page → "Nộp trực tuyến" → sign up, with the SMS code from the
outbox → the e-form (pre-filled from the population data) → the papers, uploaded with the tus client while
the connection is cut in the middle of the file and resumed → review → submit → the fees paid in the
payment sandbox → the one-stop officer receives it from the online queue on the desk, the commune police
move it through their steps and ask for a missing paper → the citizen supplies it on the tracking page →
the result is finished and returned electronically → the citizen downloads it and rates "Hài lòng"."""

import re

import pytest

from motcua.applications.models import ApplicationDraft, ResumableUpload
from motcua.dossiers.models import Channel, Dossier, State
from motcua.feedback.models import Rating
from motcua.org.roles import Role
from motcua.payments.models import Payment
from motcua.portal.models import CitizenAccount
from tests.e2e.desk_helpers import Office, do_action, main_text, sign_in, staff
from tests.e2e.portal_helpers import (
    BIG_PDF,
    NAME,
    PHONE,
    PID,
    SMALL_PDF,
    ServerErrors,
    police_staff,
    resident,
    sign_up,
    sms_code,
    text,
)

DMY = re.compile(r"\b\d{2}/\d{2}/\d{4}\b")


@pytest.fixture
def office(browser, live_server):
    o = Office(browser, live_server.url)
    yield o
    o.close()


def test_citizen_applies_online_from_a_phone_to_the_rating(tworld, phone, page, office, shot, tmp_path, settings):
    settings.MOTCUA_DVCQG_SYNC = False
    settings.MEDIA_ROOT = tmp_path / "uploads"
    errors = ServerErrors(phone, page)
    resident()
    case = tworld.case("1.004222", "TH1")
    components = list(case.components.order_by("order"))
    declaration, residence = components[0], components[1]  # the two papers to upload (required, not national)
    officer = staff(tworld.user(Role.ONE_STOP_OFFICER), last_name="Trần Thị", first_name="Hoa")
    specialist = police_staff(tworld, Role.SPECIALIST, "Lê Văn", "Cường")
    head = police_staff(tworld, Role.HEAD_OF_AGENCY, "Phạm Quốc", "Dũng")
    clerk = police_staff(tworld, Role.CLERK, "Đỗ Thị", "Lan")

    # ---- search without accents, from the home page
    phone.goto("/")
    phone.get_by_label("Bạn cần làm thủ tục gì?").fill("thuong tru")
    phone.get_by_role("button", name="Tìm", exact=True).click()
    phone.wait_for_url("**/thu-tuc/?q=thuong+tru")
    assert "thủ tục khớp với “thuong tru”" in text(phone, "p.count")
    first = phone.locator("ol.results li").first
    assert first.locator("a").inner_text() == "Đăng ký thường trú"
    assert "1.004222" in first.inner_text()
    shot(phone, "search-results")
    first.get_by_role("link", name="Đăng ký thường trú").click()

    # ---- the procedure page, in plain words
    phone.wait_for_url("**/thu-tuc/1.004222/")
    assert phone.locator("h1").inner_text() == "Đăng ký thường trú"
    guide = text(phone)
    assert "Cần mang theo" in guide and declaration.name in guide
    assert "Phí, lệ phí" in guide
    assert DMY.search(guide), "the expected date is shown as dd/mm/yyyy"
    shot(phone, "procedure-page")
    phone.get_by_role("link", name="Nộp trực tuyến").click()

    # ---- not signed in: the sign-in page, then the sign-up page
    phone.wait_for_url(re.compile(r"/cong-dan/dang-nhap/\?next="))
    assert phone.locator("h1").inner_text() == "Đăng nhập Cổng dịch vụ công"
    shot(phone, "sign-in-asked")
    phone.get_by_role("main").get_by_role("link", name="Đăng ký tài khoản").click()
    phone.wait_for_url("**/cong-dan/dang-ky/**")
    assert phone.locator("h1").inner_text() == "Đăng ký tài khoản công dân"
    sign_up(phone)
    assert phone.locator("h1").inner_text() == "Xác nhận số điện thoại"
    assert "*******678" in text(phone)  # the number is masked
    shot(phone, "code-asked")
    account = CitizenAccount.objects.get(personal_id=PID)
    assert (account.full_name, account.phone) == (NAME, PHONE)
    phone.get_by_label("Mã xác nhận (6 chữ số trong tin nhắn SMS)").fill(sms_code())
    with phone.expect_navigation():
        phone.get_by_role("button", name="Xác nhận", exact=True).click()
    assert f"Đã xác nhận số điện thoại. Chào mừng {NAME}!" in text(phone)
    shot(phone, "signed-up")
    landed = phone.url
    account.refresh_from_db()
    assert account.phone_verified_at is not None
    if "/nop-truc-tuyen/" not in landed:
        # DEFECT (reported): the sign-up started from "Nộp trực tuyến" forgets where the citizen was going;
        # he has to find the procedure again (see test_sign_up_from_apply_returns_to_the_application).
        phone.goto(f"/nop-truc-tuyen/{case.pk}/")

    # ---- step 1: the e-form, pre-filled from the account and the population data
    phone.wait_for_url(f"**/nop-truc-tuyen/{case.pk}/")
    assert phone.locator("ol.steps li.current").inner_text() == "1. Tờ khai"
    assert phone.get_by_label("Họ, chữ đệm và tên *", exact=True).input_value() == NAME
    assert phone.get_by_label("Số định danh cá nhân *", exact=True).input_value() == PID
    assert phone.get_by_label("Ngày, tháng, năm sinh *", exact=True).input_value() == "1987-03-12"
    assert phone.get_by_label("Nam", exact=True).is_checked()
    phone.get_by_label("Địa chỉ nơi đề nghị đăng ký").fill("Số 5 ngõ 12 đường Bà Triệu, phường Hạc Thành")
    phone.get_by_label("Họ, chữ đệm và tên chủ hộ").fill("Nguyễn Văn Bình")
    phone.get_by_label("Quan hệ với chủ hộ").fill("con")
    phone.get_by_label("Nội dung đề nghị").fill("Đăng ký thường trú vào hộ gia đình của bố.")
    shot(phone, "eform")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Lưu và tiếp tục").click()

    # ---- step 2: the papers; the connection drops in the middle of the big file
    phone.wait_for_url(f"**/nop-truc-tuyen/{case.pk}/giay-to/")
    assert phone.locator("h1").inner_text() == "Giấy tờ cần nộp"
    patches = []

    def cut_second_patch(route):
        if route.request.method == "PATCH":
            patches.append(route.request.headers.get("upload-offset"))
            if len(patches) == 2:
                return route.abort("connectionreset")
        return route.continue_()

    phone.route("**/nop-truc-tuyen/tai-len/**", cut_second_patch)
    big = tmp_path / "to-khai-ct01.pdf"
    big.write_bytes(BIG_PDF)
    form = phone.locator(f'form.upload[data-component="{declaration.pk}"]')
    form.locator("input[type=file]").set_input_files(str(big))
    form.locator(".progress", has_text="Mất kết nối").wait_for()
    shot(phone, "upload-connection-lost")
    phone.wait_for_selector(f'li:has(form.upload[data-component="{declaration.pk}"]) >> text=đã tải lên')
    phone.unroute("**/nop-truc-tuyen/tai-len/**")
    assert len(patches) >= 5 and patches[1] == patches[2]  # the cut chunk was sent again from the stored offset
    upload = ResumableUpload.objects.get(component=declaration)
    assert upload.complete and upload.length == len(BIG_PDF)
    small = tmp_path / "hop-dong-thue-nha.pdf"
    small.write_bytes(SMALL_PDF)
    phone.locator(f'form.upload[data-component="{residence.pk}"] input[type=file]').set_input_files(str(small))
    phone.wait_for_selector(f'li:has(form.upload[data-component="{residence.pk}"]) >> text=đã tải lên')
    papers = text(phone)
    assert "to-khai-ct01.pdf" in papers and "hop-dong-thue-nha.pdf" in papers
    shot(phone, "papers-uploaded")
    phone.get_by_role("link", name="Tiếp tục: xem lại và nộp").click()

    # ---- step 3: review and submit
    phone.wait_for_url(f"**/nop-truc-tuyen/{case.pk}/nop/")
    review = text(phone)
    assert "Xem lại và nộp hồ sơ" in review
    assert f"{declaration.name}: 1 tệp" in review and f"{residence.name}: 1 tệp" in review
    assert "10.000 đồng" in review  # the online fee
    shot(phone, "review")
    phone.get_by_label("Nơi nộp hồ sơ").select_option(label="Trung tâm PVHCC phường Hạc Thành")
    phone.get_by_label("Tin nhắn SMS").check()
    phone.get_by_label("Bản điện tử").check()
    with phone.expect_navigation():
        phone.get_by_role("button", name="Nộp hồ sơ").click()
    phone.wait_for_url("**/nop-truc-tuyen/da-nop/**")
    d = Dossier.objects.get()
    assert phone.locator("h1").inner_text() == "Đã nộp hồ sơ"
    assert f"Mã hồ sơ: {d.code}" in text(phone)
    shot(phone, "submitted")
    assert (d.state, d.channel, d.applicant_name, d.personal_id) == (State.SUBMITTED, Channel.ONLINE, NAME, PID)
    assert d.receiving_agency == tworld.centre and d.competent_agency == tworld.police
    submit = d.events.get(action="submit")
    assert submit.actor is None and NAME in submit.actor_name
    files = {c.component_id: [doc.original_name for doc in c.documents.all()] for c in d.components.all()}
    assert files[declaration.pk] == ["to-khai-ct01.pdf"] and files[residence.pk] == ["hop-dong-thue-nha.pdf"]
    assert ApplicationDraft.objects.get().status == ApplicationDraft.Status.SUBMITTED

    # ---- the fees, paid in the payment sandbox from the tracking page
    phone.get_by_role("link", name="Tra cứu tình trạng hồ sơ").click()
    phone.wait_for_url(f"**/tra-cuu/ho-so/{d.code}/")  # his own dossier: no look-up form to fill
    assert phone.locator("h1").inner_text() == f"Hồ sơ {d.code}"
    tracked = text(phone)
    assert "Hồ sơ đã nộp, đang chờ bộ phận một cửa kiểm tra và tiếp nhận." in tracked
    assert "Nộp 10.000 đồng" in text(phone, "p.next-step")
    assert "Lệ phí đăng ký thường trú: 10.000 đồng · chưa nộp" in tracked
    shot(phone, "tracking-to-pay")
    phone.get_by_role("button", name="Thanh toán trực tuyến").click()
    phone.wait_for_url("**/thanh-toan/sandbox/pay/**")
    assert "10.000 đồng" in text(phone)
    shot(phone, "sandbox")
    phone.get_by_role("button", name="Thanh toán", exact=True).click()
    phone.wait_for_url("**/thanh-toan/ket-qua/**")
    assert phone.locator("h1").inner_text() == "Thanh toán thành công"
    assert f"Đã nhận 10.000 đồng cho hồ sơ {d.code}" in text(phone)
    shot(phone, "paid")
    payment = Payment.objects.get(dossier=d)
    assert (payment.status, payment.amount, payment.purpose) == (Payment.Status.PAID, 10_000, Payment.Purpose.FEES)
    assert d.fees.get().paid_at is not None
    phone.get_by_role("link", name="Theo dõi hồ sơ").click()
    phone.wait_for_url(f"**/tra-cuu/ho-so/{d.code}/")
    tracked = text(phone)
    assert re.search(r"Lệ phí đăng ký thường trú: 10\.000 đồng · đã nộp \d{2}/\d{2}/\d{4} \d{2}:\d{2}", tracked), tracked
    assert "Thanh toán trực tuyến" not in [b.strip() for b in phone.get_by_role("button").all_inner_texts()]

    # ---- the one-stop officer receives it from the online queue
    sign_in(page, officer)
    page.get_by_role("navigation").get_by_role("link", name="Chờ tiếp nhận trực tuyến").click()
    page.wait_for_url("**/mot-cua/truc-tuyen/")
    assert page.locator("h1").inner_text() == "Hồ sơ trực tuyến chờ tiếp nhận (1)"
    row = page.locator(f'tr[data-code="{d.code}"]')
    assert NAME in row.inner_text() and "Đăng ký thường trú" in row.inner_text()
    shot(page, "desk-online-queue")
    row.get_by_role("link", name=d.code).click()
    page.wait_for_url(f"**/mot-cua/ho-so/{d.code}/")
    desk = main_text(page)
    assert "Trực tuyến · Trung tâm PVHCC phường Hạc Thành" in desk and f"{NAME} · {PID}" in desk
    assert "to-khai-ct01.pdf" in desk and "hop-dong-thue-nha.pdf" in desk
    assert "Đã thu" in page.locator("section", has=page.locator("h2", has_text="Phí, lệ phí")).inner_text()
    shot(page, "desk-online-dossier")
    do_action(page, "Tiếp nhận hồ sơ (Mẫu 01)")
    assert page.locator("dd.state").inner_text() == "Đã tiếp nhận"
    do_action(page, "Chuyển bước xử lý", lambda f: f.get_by_label("Giao cho").select_option(label="Lê Văn Cường"))
    d.refresh_from_db()
    assert (d.state, d.current_step) == (State.PROCESSING, 2)

    # ---- the police: the specialist hands over, the head asks for a certified copy
    sp = office.person(specialist)
    sp.goto(f"/mot-cua/ho-so/{d.code}/")
    do_action(sp, "Chuyển bước xử lý", lambda f: f.get_by_label("Giao cho").select_option(label="Phạm Quốc Dũng"))
    hd = office.person(head)
    hd.goto(f"/mot-cua/ho-so/{d.code}/")
    reason = "Hợp đồng thuê nhà là bản chụp không rõ chữ ký; tải lên bản sao có chứng thực."

    def ask_supplement(details):
        details.locator("label.check", has_text=residence.name).locator("input").check()
        details.locator("tr", has_text=residence.name).locator("textarea").fill(reason)
        details.get_by_label("Thời hạn bổ sung (ngày làm việc)").fill("5")

    do_action(hd, "Yêu cầu bổ sung hồ sơ trong khi xử lý (Mẫu 02)", ask_supplement)
    assert hd.locator("dd.state").inner_text() == "Chờ bổ sung hồ sơ"
    shot(hd, "desk-supplement-requested")
    d.refresh_from_db()
    assert d.state == State.AWAITING_SUPPLEMENT

    # ---- the citizen supplies the paper on the tracking page
    phone.reload()
    tracked = text(phone)
    assert "Hồ sơ đang tạm dừng, chờ ông/bà bổ sung giấy tờ." in tracked
    assert residence.name in tracked and f"Lý do: {reason}" in tracked
    assert re.search(r"Hạn bổ sung: \d{2}/\d{2}/\d{4} \d{2}:\d{2}\.", tracked), tracked
    shot(phone, "supplement-asked")
    certified = tmp_path / "hop-dong-thue-nha-chung-thuc.pdf"
    certified.write_bytes(SMALL_PDF)
    phone.get_by_label("Tệp (PDF, ảnh JPEG hoặc PNG)").set_input_files(str(certified))
    phone.get_by_label("Ghi chú (nếu có)").fill("Đã chứng thực tại UBND phường.")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Gửi giấy tờ bổ sung").click()
    assert "Đã gửi giấy tờ bổ sung. Hồ sơ được giải quyết tiếp." in text(phone)
    shot(phone, "supplement-supplied")
    d.refresh_from_db()
    assert d.state == State.PROCESSING
    supplied = d.events.get(action="supply_supplement")
    assert supplied.actor is None and NAME in supplied.actor_name
    residence_files = [doc.original_name for doc in d.components.get(component=residence).documents.all()]
    assert sorted(residence_files) == ["hop-dong-thue-nha-chung-thuc.pdf", "hop-dong-thue-nha.pdf"]

    # ---- the head hands over to the clerk, who attaches the result and finishes; the officer returns it
    hd.reload()
    do_action(hd, "Chuyển bước xử lý")
    cl = office.person(clerk)
    cl.goto(f"/mot-cua/ho-so/{d.code}/")
    result = tmp_path / "thong-bao-ket-qua.pdf"
    result.write_bytes(SMALL_PDF)
    upload_form = cl.locator("form.upload", has=cl.get_by_label("Đính kèm kết quả (PDF, JPEG, PNG)"))
    upload_form.locator("input[type=file]").set_input_files(str(result))
    with cl.expect_navigation():
        upload_form.get_by_role("button", name="Tải lên").click()
    assert "thong-bao-ket-qua.pdf" in main_text(cl)
    do_action(cl, "Hoàn thành, có kết quả")
    assert cl.locator("dd.state").inner_text() == "Đã có kết quả, chờ trả"
    page.reload()
    do_action(page, "Trả kết quả", lambda f: f.get_by_label("Hình thức trả").select_option(label="Bản điện tử"))
    assert page.locator("dd.state").inner_text() == "Đã trả kết quả"
    shot(page, "desk-returned")
    d.refresh_from_db()
    assert d.state == State.RETURNED

    # ---- the citizen downloads the result and rates it
    phone.reload()
    tracked = text(phone)
    assert "Hiện nay: Đã trả kết quả." in tracked
    timeline = text(phone, "ol.timeline")
    assert len(DMY.findall(timeline)) >= 8, timeline
    link = phone.get_by_role("link", name="Kết quả giải quyết: thong-bao-ket-qua.pdf")
    response = phone.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.body() == SMALL_PDF
    shot(phone, "returned-to-rate")
    phone.get_by_label("Hài lòng", exact=True).check()
    phone.get_by_label("Ý kiến (nếu có)").fill("Cán bộ hướng dẫn rõ ràng.")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Gửi đánh giá").click()
    assert "Cảm ơn ông/bà đã đánh giá." in text(phone)
    assert re.search(r"Ông/bà đã đánh giá “Hài lòng” lúc \d{2}/\d{2}/\d{4} \d{2}:\d{2}\.", text(phone))
    shot(phone, "rated")
    rating = Rating.objects.get(dossier=d)
    assert (rating.level, rating.comment) == (Rating.Level.SATISFIED, "Cán bộ hướng dẫn rõ ràng.")

    assert list(d.events.order_by("seq").values_list("action", flat=True)) == [
        "submit", "pay_fees", "receive", "forward", "forward", "request_supplement", "supply_supplement", "forward",
        "finish", "return_result",
    ]
    assert [e.actor for e in d.events.order_by("seq")] == [
        None, None, officer, officer, specialist, head, None, head, clerk, officer,
    ]
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert errors.seen == []


# ---------------------------------------------------------------- defects found on the way (xfail, strict)


def _signed_in_with_a_draft(tworld, phone, tmp_path, settings):
    """A confirmed citizen, signed in by typing, on the first step of applying."""
    from django.utils import timezone

    from tests.e2e.portal_helpers import CITIZEN_PASSWORD, citizen_sign_in

    settings.MOTCUA_DVCQG_SYNC = False
    settings.MEDIA_ROOT = tmp_path / "uploads"
    resident()
    account = CitizenAccount(personal_id=PID, full_name=NAME, phone=PHONE, phone_verified_at=timezone.now())
    account.set_password(CITIZEN_PASSWORD)
    account.save()
    case = tworld.case("1.004222", "TH1")
    phone.goto(f"/nop-truc-tuyen/{case.pk}/")
    citizen_sign_in(phone)
    phone.wait_for_url(f"**/nop-truc-tuyen/{case.pk}/")
    return case


def test_sign_up_from_apply_returns_to_the_application(tworld, phone, shot):
    case = tworld.case("1.004222", "TH1")
    phone.goto("/thu-tuc/1.004222/")
    phone.get_by_role("link", name="Nộp trực tuyến").click()
    phone.wait_for_url("**/cong-dan/dang-nhap/?next=**")
    phone.get_by_role("main").get_by_role("link", name="Đăng ký tài khoản").click()
    sign_up(phone)
    phone.get_by_label("Mã xác nhận (6 chữ số trong tin nhắn SMS)").fill(sms_code())
    with phone.expect_navigation():
        phone.get_by_role("button", name="Xác nhận", exact=True).click()
    shot(phone, "after-sign-up")
    assert phone.url.endswith(f"/nop-truc-tuyen/{case.pk}/")


def test_review_shows_dates_as_dd_mm_yyyy(tworld, phone, tmp_path, settings, shot):
    case = _signed_in_with_a_draft(tworld, phone, tmp_path, settings)
    phone.get_by_label("Địa chỉ nơi đề nghị đăng ký").fill("Số 5 ngõ 12 đường Bà Triệu")
    phone.get_by_label("Nội dung đề nghị").fill("Đăng ký thường trú vào hộ gia đình của bố.")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Lưu và tiếp tục").click()
    phone.goto(f"/nop-truc-tuyen/{case.pk}/nop/")
    shot(phone, "review")
    answers = text(phone, "dl.answers")
    assert "Ngày, tháng, năm sinh 12/03/1987" in answers, answers


def test_where_to_submit_is_not_preset_to_another_commune(tworld, phone, tmp_path, settings, shot):
    case = _signed_in_with_a_draft(tworld, phone, tmp_path, settings)
    phone.goto(f"/nop-truc-tuyen/{case.pk}/nop/")
    shot(phone, "review")
    shown = phone.get_by_label("Nơi nộp hồ sơ").evaluate("s => s.options[s.selectedIndex].text")
    assert shown != "Trung tâm PVHCC phường Hàm Rồng"


def test_save_draft_keeps_a_half_filled_form(tworld, phone, tmp_path, settings, shot):
    _signed_in_with_a_draft(tworld, phone, tmp_path, settings)
    phone.get_by_label("Họ, chữ đệm và tên chủ hộ").fill("Nguyễn Văn Bình")
    phone.get_by_role("button", name="Lưu nháp").click()
    saved = phone.locator("p.messages", has_text="Đã lưu bản nháp.")
    try:
        saved.wait_for(timeout=5_000)
    finally:
        shot(phone, "save-draft")
    assert ApplicationDraft.objects.get().data.get("ho_ten_chu_ho") == "Nguyễn Văn Bình"
