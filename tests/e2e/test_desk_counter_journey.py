"""A residence registration from the counter to the hand-back, every step clicked by the person whose
step it is, each in their own browser: reception with a look-up in the population data and the promised
time previewed, two hand-overs, a request for a supplement (Mẫu 02), the papers supplied at the counter,
the result finished by the clerk and handed back to an authorised person. Mẫu 01, 02 and 05 are printed
and read back."""

from datetime import date

import pytest

from motcua.dossiers.models import Channel, Dossier, State
from motcua.integrations.models import ResidentRecord
from motcua.org.models import User
from motcua.org.roles import Role
from motcua.org.services import grant_role
from tests.e2e.desk_helpers import (
    PDF,
    DeskClock,
    Office,
    at,
    do_action,
    fetch_pdf,
    local,
    main_text,
    open_dossier_from_inbox,
    pdf_text,
    print_link,
    qr_codes,
    sign_in,
    staff,
)

PID = "038087042028"  # Thanh Hóa, male, born 1987


@pytest.fixture
def clock(monkeypatch):
    c = DeskClock()
    monkeypatch.setattr("motcua.desk.services.current_time", c)
    return c


@pytest.fixture
def office(browser, live_server):
    o = Office(browser, live_server.url)
    yield o
    o.close()


def police_staff(world, role, last_name, first_name):
    """The commune police decide residence registrations: one person per step there."""
    user = User.objects.create_user(f"ca-{role}", last_name=last_name, first_name=first_name)
    grant_role(user=user, role=role, agency=world.police)
    return staff(user, last_name=last_name, first_name=first_name)


def test_counter_reception_to_hand_back(tworld, page, office, clock, shot, tmp_path, settings):
    settings.MOTCUA_DVCQG_SYNC = False
    settings.MEDIA_ROOT = tmp_path / "uploads"
    ResidentRecord.objects.create(
        personal_id=PID, full_name="Nguyễn Văn An", birth_date=date(1987, 3, 12), sex="nam",
        address="Số 12 đường Lê Lợi, phường Hạc Thành, tỉnh Thanh Hóa",
    )
    officer = staff(tworld.user(Role.ONE_STOP_OFFICER), last_name="Trần Thị", first_name="Hoa")
    specialist = police_staff(tworld, Role.SPECIALIST, "Lê Văn", "Cường")
    head = police_staff(tworld, Role.HEAD_OF_AGENCY, "Phạm Quốc", "Dũng")
    clerk = police_staff(tworld, Role.CLERK, "Đỗ Thị", "Lan")
    case = tworld.case("1.004222", "TH1")
    components = list(case.components.order_by("order"))
    residence = components[1]  # Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp

    # ---- reception at the counter, Monday 16/11/2026 09:00
    clock.set("2026-11-16 09:00")
    sign_in(page, officer)
    assert page.locator("h1").inner_text() == "Tiếp nhận hồ sơ"
    assert "Trần Thị Hoa" in page.inner_text("header")
    page.get_by_label("Số định danh cá nhân (12 số)").fill(PID)
    page.get_by_role("button", name="Tra cứu").click()
    page.wait_for_load_state()
    assert "Đã lấy thông tin từ Cơ sở dữ liệu quốc gia về dân cư" in main_text(page)
    assert page.get_by_label("Họ và tên chủ hồ sơ").input_value() == "Nguyễn Văn An"
    assert page.get_by_label("Ngày sinh (dd/mm/yyyy)").input_value() == "12/03/1987"
    assert "Lê Lợi" in page.get_by_label("Nơi thường trú").input_value()
    shot(page, "looked-up")
    page.get_by_label("Số điện thoại").fill("0912345678")
    page.get_by_label("Thủ tục, trường hợp").select_option(label="Đăng ký thường trú")
    page.get_by_role("button", name="Chọn", exact=True).click()
    page.wait_for_load_state()
    # What was looked up survives choosing the procedure.
    assert page.get_by_label("Họ và tên chủ hồ sơ").input_value() == "Nguyễn Văn An"
    assert page.get_by_label("Số điện thoại").input_value() == "0912345678"
    assert "Thời hạn giải quyết: 7 ngày làm việc" in main_text(page)
    competent = page.get_by_label("Cơ quan giải quyết")
    assert competent.locator("option:checked").inner_text() == "Công an phường Hạc Thành"
    for comp in components:
        if comp.required:
            page.locator("label.check", has_text=comp.name).locator("input").check()
    page.get_by_label("Đã thu tại quầy").check()
    assert "20.000 đồng" in main_text(page)
    shot(page, "case-chosen-components-ticked")
    page.get_by_role("button", name="Xem trước giấy hẹn").click()
    page.wait_for_load_state()

    # ---- preview: 7 working days, skipping the holiday on Tuesday 24/11 → Thursday 26/11 09:00
    assert page.locator("h1").inner_text() == "Xem trước, xác nhận"
    assert "09:00 ngày 26/11/2026" in page.locator("dd.promised").inner_text()
    preview = main_text(page)
    assert "Nguyễn Văn An · 038087042028 · sinh ngày 12/03/1987" in preview
    assert "Đã đối chiếu" in preview and "Công an phường Hạc Thành" in preview
    assert Dossier.objects.count() == 0  # a preview writes nothing
    page.locator("tr", has_text=components[0].name).locator("input[type=file]").set_input_files(
        {"name": "to-khai-ct01.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    assert page.get_by_label("Đầy đủ, hợp lệ: tiếp nhận và in giấy hẹn (Mẫu 01)").is_checked()
    shot(page, "preview-promised-time")
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url("**/mot-cua/tiep-nhan/xong/**")

    d = Dossier.objects.get()
    assert (d.state, d.channel, d.population_verified) == (State.RECEIVED, Channel.DIRECT, True)
    assert d.competent_agency == tworld.police and local(d.due_at) == "09:00 26/11/2026"
    assert d.applicant_name == "Nguyễn Văn An" and d.personal_id == PID
    provided = {c.component_id: c for c in d.components.all()}
    assert provided[components[0].pk].digitised and provided[residence.pk].provided
    assert d.fees.get().paid_at is not None
    assert list(d.events.values_list("action", flat=True)) == ["submit", "receive"]
    done = main_text(page)
    assert page.locator(".code").inner_text() == d.code
    assert "Nguyễn Văn An · Đăng ký thường trú · Đã tiếp nhận" in done
    assert "Hẹn trả kết quả: 09:00 ngày 26/11/2026" in done
    shot(page, "received-code")

    receipt = fetch_pdf(page, print_link(page, "In giấy tiếp nhận và hẹn trả kết quả (Mẫu 01)"), tmp_path / "mau-01.pdf")
    text = pdf_text(receipt)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "Nguyễn Văn An" in text and d.code in text
    assert "09 giờ 00 phút, ngày 26/11/2026" in text  # the promised time
    assert "09 giờ 00 phút, ngày 16/11/2026" in text  # received
    assert "20.000 đồng" in text and "Trần Thị Hoa" in text
    assert qr_codes(receipt) == [f"{page.live_url}/tra-cuu/?ma={d.code}"]

    # ---- first hand-over: the one-stop officer sends it to the police specialist
    page.get_by_role("link", name="Mở hồ sơ").click()
    page.wait_for_url(f"**/mot-cua/ho-so/{d.code}/")
    assert page.locator("dd.state").inner_text() == "Đã tiếp nhận"
    assert page.locator("dd.due").inner_text() == "09:00 26/11/2026"
    clock.set("2026-11-16 10:00")

    def to_specialist(details):
        assert "Chuyển sang bước 2" in details.inner_text() and "Chuyên viên" in details.inner_text()
        details.get_by_label("Giao cho").select_option(label="Lê Văn Cường")
        details.get_by_label("Ý kiến khi chuyển").fill("Đề nghị đồng chí Cường thẩm định chỗ ở.")

    do_action(page, "Chuyển bước xử lý", to_specialist)
    assert "Đã thực hiện: Chuyển bước xử lý." in main_text(page)
    assert page.locator("dd.state").inner_text() == "Đang xử lý"
    shot(page, "forwarded-to-specialist")
    d.refresh_from_db()
    assert (d.state, d.current_step) == (State.PROCESSING, 2)
    assert d.steps.get(order=2).assignee == specialist

    # ---- second hand-over: the specialist finds it in his inbox and sends it to the head
    sp = office.person(specialist)
    assert sp.locator("h1").inner_text().startswith("Hồ sơ của tôi")
    shot(sp, "specialist-inbox")
    open_dossier_from_inbox(sp, d.code)
    clock.set("2026-11-17 09:00")
    do_action(sp, "Chuyển bước xử lý", lambda f: f.get_by_label("Giao cho").select_option(label="Phạm Quốc Dũng"))
    d.refresh_from_db()
    assert (d.state, d.current_step) == (State.PROCESSING, 3)
    assert d.steps.get(order=3).assignee == head

    # ---- the head asks for a supplement: the residence paper is a photocopy
    hd = office.person(head)
    open_dossier_from_inbox(hd, d.code)
    clock.set("2026-11-17 10:00")
    reason = "Hợp đồng thuê nhà là bản photo không chứng thực; nộp bản sao có chứng thực hoặc bản chính để đối chiếu."

    def ask_supplement(details):
        details.locator("label.check", has_text=residence.name).locator("input").check()
        details.locator("tr", has_text=residence.name).locator("textarea").fill(reason)
        details.get_by_label("Thời hạn bổ sung (ngày làm việc)").fill("5")

    do_action(hd, "Yêu cầu bổ sung hồ sơ trong khi xử lý (Mẫu 02)", ask_supplement)
    assert hd.locator("dd.state").inner_text() == "Chờ bổ sung hồ sơ"
    assert f"{residence.name}: {reason}" in main_text(hd)
    shot(hd, "supplement-requested")
    d.refresh_from_db()
    assert d.state == State.AWAITING_SUPPLEMENT
    assert d.pauses.get().request["items"] == [{"name": residence.name, "reason": reason}]

    slip = pdf_text(fetch_pdf(hd, print_link(hd, "Mẫu 02 · Phiếu yêu cầu bổ sung"), tmp_path / "mau-02.pdf"))
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in slip
    assert "Nguyễn Văn An" in slip and d.code in slip
    assert "bản photo không chứng thực" in slip
    assert "Hạc Thành, ngày 17 tháng 11 năm 2026" in slip
    # 5 working days from Tuesday 17/11 10:00, skipping the holiday on 24/11.
    assert "Thời hạn nộp bổ sung: trước 10 giờ 00 phút, ngày 25/11/2026" in slip

    # ---- the applicant brings the paper to the counter the next morning
    clock.set("2026-11-18 09:00")
    open_dossier_from_inbox(page, d.code, nav="Hồ sơ của đơn vị")
    assert page.locator("dd.state").inner_text() == "Chờ bổ sung hồ sơ"
    do_action(page, "Nhận hồ sơ bổ sung", lambda f: f.get_by_label("Ghi chú").fill("Đã nộp hợp đồng thuê nhà có chứng thực."))
    d.refresh_from_db()
    assert d.state == State.PROCESSING and d.pauses.get().ended_at is not None
    # The 7 working hours waited (17/11 10:00 → 18/11 09:00) are given back: the promise moves later.
    assert d.due_at > at("2026-11-26 09:00")
    assert page.locator("dd.state").inner_text() == "Đang xử lý"
    assert page.locator("dd.due").inner_text().startswith(local(d.due_at))
    shot(page, "supplement-supplied")

    # ---- the head hands over to the clerk, who finishes
    clock.set("2026-11-18 14:00")
    hd.reload()
    do_action(hd, "Chuyển bước xử lý")
    d.refresh_from_db()
    assert d.current_step == 4
    cl = office.person(clerk)
    open_dossier_from_inbox(cl, d.code, nav="Hồ sơ của đơn vị")
    clock.set("2026-11-19 09:00")

    def result_papers(details):
        assert details.get_by_label("Giấy tờ kết quả (mỗi dòng một giấy tờ)").input_value() == (
            "Thông báo kết quả giải quyết đăng ký thường trú"
        )

    do_action(cl, "Hoàn thành, có kết quả", result_papers)
    assert cl.locator("dd.state").inner_text() == "Đã có kết quả, chờ trả"
    shot(cl, "finished")
    d.refresh_from_db()
    assert d.state == State.RESULT_READY
    assert d.events.get(action="finish").data["documents"] == ["Thông báo kết quả giải quyết đăng ký thường trú"]

    # ---- hand-back at the counter to the applicant's sister, who holds his authorisation
    clock.set("2026-11-19 15:00")
    page.reload()

    def hand_back(details):
        assert details.get_by_label("Hình thức trả").locator("option:checked").inner_text() == "Tại bộ phận một cửa"
        details.get_by_label("Họ tên người nhận").fill("Nguyễn Thị Bình")
        details.get_by_label("Người nhận là").select_option(label="Người được ủy quyền")
        details.get_by_label("Bản chính đã trả lại cho người dân").fill("Hợp đồng thuê nhà (bản chính)")

    do_action(page, "Trả kết quả", hand_back)
    assert page.locator("dd.state").inner_text() == "Đã trả kết quả"
    history = page.locator("ol.timeline").inner_text()
    assert "Trả kết quả · Trần Thị Hoa" in history and "19/11/2026" in history
    shot(page, "returned")
    d.refresh_from_db()
    assert d.state == State.RETURNED and d.returned_at is not None
    returned = d.events.get(action="return_result").data
    assert (returned["receiver_name"], returned["receiver_kind"]) == ("Nguyễn Thị Bình", "authorised")
    assert list(d.events.values_list("action", flat=True)) == [
        "submit", "receive", "forward", "forward", "request_supplement", "supply_supplement", "forward", "finish",
        "return_result",
    ]
    assert [e.actor for e in d.events.order_by("seq")][1:] == [
        officer, officer, specialist, head, officer, head, clerk, officer,
    ]

    control = pdf_text(fetch_pdf(page, print_link(page, "Mẫu 05 · Phiếu kiểm soát quá trình"), tmp_path / "mau-05.pdf"))
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in control
    assert "Nguyễn Văn An" in control and d.code in control
    assert "Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 16/11/2026" in control
    assert "Tình trạng hồ sơ: Đã trả kết quả" in control
    for name in ("Trần Thị Hoa", "Lê Văn Cường", "Phạm Quốc Dũng", "Đỗ Thị Lan"):
        assert name in control
