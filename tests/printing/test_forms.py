"""The official forms of a dossier driven through the service layer, read back as a person reads the PDF.

Calendar facts used below (as in tests/dossiers/test_scenarios.py): Tue 24/11/2026 is a public holiday;
office hours 07:00–11:30 and 13:30–17:00. Procedure 1.004222 (permanent residence) takes 7 working days.
"""

import re

import pytest
from django.utils import timezone

from motcua.dossiers import services as dossier_services
from motcua.org.roles import Role
from motcua.printing import services
from tests.factories import at
from tests.printing import pdftools

OFFICER = Role.ONE_STOP_OFFICER


def act(world, d, action, when, role=None, **data):
    dossier_services.perform(d, action, actor=world.user(role) if role else None, data=data, now=at(when))
    d.refresh_from_db()
    return d


def new(world, **applicant):
    extra = {"address": "Số 12 phố Lê Lợi, phường Hạc Thành", "email": "an.nguyen@example.vn"} | applicant
    return world.new_dossier(now=at("2026-11-16 08:55"), applicant=world.applicant(**extra))


@pytest.fixture
def received(world):
    d = new(world)
    return act(world, d, "receive", "2026-11-16 09:00", OFFICER)


def officer_name(world):
    return str(world.user(OFFICER))


def assert_official_heading(text, *, parent, unit):
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert parent.upper() in text
    assert unit.upper() in text


# ---------------------------------------------------------------- Mẫu 01


def test_receipt_has_heading_applicant_components_times_fees_and_officer(world, received):
    d = received
    pdf = services.receipt_pdf(d)
    text = pdftools.text(pdf)
    flat = pdftools.flat(pdf)
    assert pdftools.pages(pdf) == 1
    assert "Mẫu số 01" in text
    assert_official_heading(flat, parent="UBND phường Hạc Thành", unit="Trung tâm PVHCC phường Hạc Thành")
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "Hạc Thành, ngày 16 tháng 11 năm 2026" in text
    assert f"Mã hồ sơ: {d.code}" in text
    assert "Ông/Bà: Nguyễn Văn An" in text
    assert "Số định danh cá nhân: 038087042028" in text
    assert "Địa chỉ: Số 12 phố Lê Lợi, phường Hạc Thành" in text
    assert "Thư điện tử: an.nguyen@example.vn" in text
    assert "Nội dung yêu cầu giải quyết: Đăng ký thường trú" in text
    assert "Kênh nộp hồ sơ: Trực tiếp" in text
    # Every component handed in, with its counts: original, certified copy, photocopy.
    for component in d.components.all():
        first_words = " ".join(component.name.split()[:5])
        row = next(line for line in text.splitlines() if first_words in line)
        counts = re.findall(r"\s(\d+)(?=\s|$)", row.split(first_words, 1)[1])
        assert counts[-3:] == [str(component.originals), str(component.certified_copies), str(component.photocopies)], row
    assert re.search(r"Tờ khai thay đổi thông tin cư trú \(mẫu CT01\)\s+1\s+0\s+0", text)
    assert "2. Số lượng hồ sơ: 01 bộ" in text
    assert "3. Thời gian giải quyết hồ sơ theo quy định: 7 ngày làm việc" in text
    assert "4. Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 16/11/2026" in text
    assert "5. Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 00 phút, ngày 26/11/2026" in text
    assert "6. Đăng ký nhận kết quả tại: bộ phận tiếp nhận và trả kết quả" in text
    assert "Lệ phí đăng ký thường trú: 20.000 đồng (Thu trước)" in text
    assert "NGƯỜI NỘP HỒ SƠ" in text and "NGƯỜI TIẾP NHẬN HỒ SƠ" in text
    assert officer_name(world) in text


def test_receipt_qr_code_opens_the_public_tracking_page(received):
    pdf = services.receipt_pdf(received)
    url = f"http://127.0.0.1:8000/tra-cuu/?ma={received.code}"
    assert services.tracking_url(received) == url
    assert pdftools.qr_codes(pdf) == [url]
    assert url in pdftools.flat(pdf)


def test_receipt_qr_follows_the_configured_public_address(settings, received):
    settings.MOTCUA_PUBLIC_URL = "https://dichvucong.thanhhoa.gov.vn"
    assert pdftools.qr_codes(services.receipt_pdf(received)) == [
        f"https://dichvucong.thanhhoa.gov.vn/tra-cuu/?ma={received.code}"
    ]


def test_receipt_keeps_the_promise_made_at_reception_when_a_supplement_moves_the_due_time(world, received):
    d = act(world, received, "forward", "2026-11-16 10:00", OFFICER)
    items = [{"name": "Tờ khai CT01", "reason": "Chưa có ý kiến đồng ý của chủ hộ."}]
    act(world, d, "request_supplement", "2026-11-17 14:00", Role.SPECIALIST, items=items)
    act(world, d, "supply_supplement", "2026-11-20 10:00", OFFICER)
    assert f"{timezone.localtime(d.due_at):%d/%m/%Y %H:%M}" == "30/11/2026 17:00"  # paused 22 working hours
    text = pdftools.text(services.receipt_pdf(d))
    assert "5. Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 00 phút, ngày 26/11/2026" in text
    assert "30/11/2026" not in text  # the moved due time belongs to the control slip, not the receipt


def test_receipt_for_an_online_organisation_dossier(world):
    case = world.case()
    applicant = {"kind": "organisation", "name": "Công ty TNHH Hạc Thành Xanh", "tax_code": "0101234567",
                 "representative_name": "Trần Thị Bình", "phone": "0987654321"}
    d = world.new_dossier(now=at("2026-11-16 08:55"), applicant=applicant, channel=2, case=case, return_method="post")
    act(world, d, "receive", "2026-11-16 09:00", OFFICER)
    text = pdftools.text(services.receipt_pdf(d))
    assert "Tổ chức: Công ty TNHH Hạc Thành Xanh" in text
    assert "Mã số thuế: 0101234567" in text
    assert "Người nộp thay: Trần Thị Bình" in text
    assert "Kênh nộp hồ sơ: Trực tuyến" in text
    assert "Đăng ký nhận kết quả tại: địa chỉ đăng ký, qua dịch vụ bưu chính công ích" in text
    assert "10.000 đồng" in text  # the online fee


def test_receipt_of_an_old_record_shows_the_old_id_card_number(world):
    applicant = {"kind": "citizen", "name": "Phạm Văn Cường", "old_id_number": "172345678"}
    d = world.new_dossier(now=at("2026-11-16 08:55"), applicant=applicant)
    act(world, d, "receive", "2026-11-16 09:00", OFFICER)
    text = pdftools.text(services.receipt_pdf(d))
    assert "Số Chứng minh nhân dân: 172345678" in text and "Số định danh cá nhân" not in text


def test_fonts_are_embedded_liberation_serif(received):
    listing = pdftools.fonts(services.receipt_pdf(received))
    rows = listing.splitlines()[2:]
    assert rows, listing
    for row in rows:
        assert re.search(r"Liberation-?Serif", row), row
        emb = row.split()[-5]  # columns: name type encoding emb sub uni object ID
        assert emb == "yes", row


# ---------------------------------------------------------------- Mẫu 02


def test_supplement_request_before_reception_lists_every_item_with_its_reason(world):
    d = new(world)
    items = [
        {"name": "Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp", "reason": "Bản chụp mờ, không đọc được số thửa đất."},
        {"name": "Tờ khai thay đổi thông tin cư trú (mẫu CT01)", "reason": "Chưa có ý kiến đồng ý của chủ hộ."},
        {"name": "Giấy xác nhận tình trạng hôn nhân", "reason": "Thiếu, cần nộp bản chính."},
    ]
    act(world, d, "request_completion", "2026-11-16 09:10", OFFICER, items=items)
    pdf = services.supplement_request_pdf(d)
    text, flat = pdftools.text(pdf), pdftools.flat(pdf)
    assert "Mẫu số 02" in text
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert_official_heading(flat, parent="UBND phường Hạc Thành", unit="Trung tâm PVHCC phường Hạc Thành")
    assert "Hạc Thành, ngày 16 tháng 11 năm 2026" in text
    assert "Nguyễn Văn An" in text and d.code in text
    assert "Yêu cầu Ông/Bà hoàn thiện hồ sơ gồm những nội dung sau:" in text
    for item in items:
        assert item["name"] in flat
        assert item["reason"] in flat
    # A catalog component shows its counts; a paper not in the catalog has none.
    row = next(line for line in text.splitlines() if "Tờ khai thay đổi thông tin cư" in line)
    assert re.search(r"\s1\s+0\s+0\s", row), row
    row = next(line for line in text.splitlines() if "Giấy xác nhận tình trạng" in line)
    assert "–" in row and not re.search(r"\s\d\s", row.split("hôn", 1)[1]), row
    assert "Hồ sơ chưa được tiếp nhận" in text
    assert "NGƯỜI HƯỚNG DẪN" in text and officer_name(world) in text


def test_supplement_request_during_processing_uses_the_latest_request_and_its_deadline(world, received):
    d = act(world, received, "forward", "2026-11-16 10:00", OFFICER)
    first = [{"name": "Tờ khai CT01", "reason": "Chưa ký."}]
    act(world, d, "request_supplement", "2026-11-17 14:00", Role.SPECIALIST, items=first)
    act(world, d, "supply_supplement", "2026-11-18 10:00", OFFICER)
    latest = [
        {"name": "Giấy tờ chứng minh chỗ ở hợp pháp", "reason": "Hợp đồng thuê nhà đã hết hạn."},
        {"name": "Văn bản đồng ý của chủ hộ", "reason": "Chữ ký không khớp với mẫu chữ ký đã đăng ký."},
    ]
    act(world, d, "request_supplement", "2026-11-19 09:00", Role.SPECIALIST, items=latest, answer_days=7)
    flat = pdftools.flat(services.supplement_request_pdf(d))
    for item in latest:
        assert item["name"] in flat and item["reason"] in flat
    assert "Chưa ký." not in flat
    assert "Hạc Thành, ngày 19 tháng 11 năm 2026" in flat
    assert "Thời hạn nộp bổ sung: trước 09 giờ 00 phút, ngày 01/12/2026" in flat  # 7 working days, 24/11 off
    assert "thời gian đã giải quyết trước đó vẫn được tính" in flat
    assert str(world.user(Role.SPECIALIST)) in flat


# ---------------------------------------------------------------- Mẫu 03


def test_refusal_states_the_reason(world):
    d = new(world)
    reason = "Chỗ ở đề nghị đăng ký thuộc địa điểm không được đăng ký thường trú mới (đang có tranh chấp)."
    act(world, d, "refuse", "2026-11-16 09:20", OFFICER, reason=reason)
    pdf = services.refusal_pdf(d)
    text, flat = pdftools.text(pdf), pdftools.flat(pdf)
    assert "Mẫu số 03" in text
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ" in text
    assert_official_heading(flat, parent="UBND phường Hạc Thành", unit="Trung tâm PVHCC phường Hạc Thành")
    assert "Hạc Thành, ngày 16 tháng 11 năm 2026" in text
    assert "thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:" in flat
    assert reason in flat
    assert "Xin thông báo cho Ông/Bà được biết và thực hiện." in flat
    assert "Nguyễn Văn An" in text and officer_name(world) in text


# ---------------------------------------------------------------- Mẫu 04


def test_apology_gives_the_reason_and_the_new_date(world, received):
    d = act(world, received, "forward", "2026-11-16 10:00", OFFICER)
    reason = "Phải chờ ý kiến của Công an tỉnh về nơi cư trú."
    act(world, d, "apologise", "2026-11-25 09:00", Role.HEAD_OF_AGENCY, reason=reason, new_due_at=at("2026-12-01 16:00"))
    pdf = services.apology_pdf(d)
    text, flat = pdftools.text(pdf), pdftools.flat(pdf)
    assert "Mẫu số 04" in text
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text
    # Issued by the late agency.
    assert_official_heading(flat, parent="UBND tỉnh Thanh Hóa", unit="UBND phường Hạc Thành")
    assert "Hạc Thành, ngày 25 tháng 11 năm 2026" in text
    assert "Kính gửi Ông/Bà: Nguyễn Văn An" in text
    assert "09 giờ 00 phút, ngày 16/11/2026" in flat  # received
    assert "Thời gian hẹn trả kết quả giải quyết hồ sơ: 09 giờ 00 phút, ngày 26/11/2026" in flat
    assert reason in flat
    assert "xin lỗi" in flat
    assert "Thời gian hẹn lại trả kết quả: 16 giờ 00 phút, ngày 01/12/2026" in flat
    assert str(world.user(Role.HEAD_OF_AGENCY)) in flat


# ---------------------------------------------------------------- Mẫu 05


def _happy_path(world):
    d = new(world)
    act(world, d, "receive", "2026-11-16 09:00", OFFICER)
    act(world, d, "forward", "2026-11-16 10:00", OFFICER)  # step 1 (2 h) due 11:00: on time
    act(world, d, "request_verification", "2026-11-17 09:00", Role.SPECIALIST,
        agency=world.police.identifier_code, question="Xác minh người đăng ký có thực tế sinh sống tại chỗ ở.")
    act(world, d, "answer_verification", "2026-11-18 09:00", Role.SPECIALIST, answer="Có thực tế sinh sống.")
    act(world, d, "forward", "2026-11-20 15:00", Role.SPECIALIST)  # step 2 due 26/11 10:00: early
    act(world, d, "forward", "2026-11-23 10:00", Role.HEAD_OF_AGENCY)  # step 3 (4 h) due 23/11 09:00: late
    act(world, d, "finish", "2026-11-23 10:30", Role.CLERK)  # step 4 (1 h) due 11:00: on time
    act(world, d, "return_result", "2026-11-23 11:15", OFFICER, method="counter", receiver_name="Nguyễn Văn An")
    return d


def rows_notes(d):
    return {r.order: r.notes for r in services.control_rows(d)}


def test_control_slip_lists_each_hand_over_with_its_timing(world):
    d = _happy_path(world)
    pdf = services.control_slip_pdf(d)
    text, flat = pdftools.text(pdf), pdftools.flat(pdf)
    assert "Mẫu số 05" in text
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert d.code in flat
    assert "Cơ quan (bộ phận) giải quyết hồ sơ: UBND phường Hạc Thành" in flat
    assert "Cơ quan phối hợp giải quyết hồ sơ: Công an phường Hạc Thành" in flat
    # The first line of each row carries the step number, the hand-over and due times and the timing.
    first_lines = {}
    for line in text.splitlines():
        m = re.match(r"^\s{0,4}(\d)\s{2,}\S", line)
        if m:
            first_lines[int(m.group(1))] = line
    expected = {
        1: ("09:00 16/11/2026", "11:00 16/11/2026", "Đúng hạn"),
        2: ("10:00 16/11/2026", "10:00 26/11/2026", "Trước hạn"),
        3: ("15:00 20/11/2026", "09:00 23/11/2026", "Quá hạn"),
        4: ("10:00 23/11/2026", "11:00 23/11/2026", "Đúng hạn"),
        5: ("10:30 23/11/2026", "11:30 23/11/2026", "Đúng hạn"),
    }
    assert sorted(first_lines) == [1, 2, 3, 4, 5], text
    for order, (handed, due, timing) in expected.items():
        line = first_lines[order]
        assert handed in line and due in line and timing in line, line
    # Who handed to whom: the applicant to the one-stop officer, then unit to unit, back to the centre.
    assert "Giao: Người nộp hồ sơ Nguyễn Văn An" in flat
    assert "Nhận: Trung tâm PVHCC phường Hạc Thành" in flat
    assert str(world.user(Role.HEAD_OF_AGENCY)) in flat and str(world.user(Role.CLERK)) in flat
    assert "Tạm dừng:" in flat and "từ 09:00 17/11/2026 đến 09:00 18/11/2026" in flat
    assert rows_notes(d)[2] == ["Tạm dừng: Xác minh (Công an phường Hạc Thành), từ 09:00 17/11/2026 đến 09:00 18/11/2026"]
    assert "Có kết quả lúc 10 giờ 30 phút, ngày 23/11/2026: Trước hạn" in flat


def test_control_slip_rows_follow_the_step_records(world):
    d = _happy_path(world)
    rows = services.control_rows(d)
    assert [(r.order, r.timing) for r in rows] == [
        (1, "Đúng hạn"), (2, "Trước hạn"), (3, "Quá hạn"), (4, "Đúng hạn"), (5, "Đúng hạn"),
    ]
    assert [r.receiver_agency for r in rows] == [
        "Trung tâm PVHCC phường Hạc Thành", "UBND phường Hạc Thành", "UBND phường Hạc Thành",
        "UBND phường Hạc Thành", "Trung tâm PVHCC phường Hạc Thành",
    ]
    assert rows[2].giver == str(world.user(Role.SPECIALIST))
    assert rows[2].receiver == str(world.user(Role.HEAD_OF_AGENCY))


def test_control_slip_of_a_dossier_in_progress_shows_the_open_step(world, received):
    d = act(world, received, "forward", "2026-11-16 10:00", OFFICER)
    rows = services.control_rows(d)
    assert [r.order for r in rows] == [1, 2]
    assert rows[1].ended_at == "" and rows[1].timing.startswith("Đang xử lý")
    assert rows[1].receiver == "Chuyên viên xử lý"  # nobody named yet: the step's role


# ---------------------------------------------------------------- stop notice


def test_stop_notice_gives_the_authoritys_reason(world, received):
    d = act(world, received, "forward", "2026-11-16 10:00", OFFICER)
    reason = "Quá thời hạn 07 ngày làm việc nhưng người đăng ký không nộp bổ sung giấy tờ chứng minh chỗ ở."
    act(world, d, "stop", "2026-11-27 10:00", Role.HEAD_OF_AGENCY, reason=reason)
    pdf = services.stop_notice_pdf(d)
    text, flat = pdftools.text(pdf), pdftools.flat(pdf)
    assert "THÔNG BÁO" in text and "Về việc dừng giải quyết hồ sơ" in text
    assert_official_heading(flat, parent="UBND tỉnh Thanh Hóa", unit="UBND phường Hạc Thành")
    assert "Hạc Thành, ngày 27 tháng 11 năm 2026" in text
    assert "thông báo dừng giải quyết hồ sơ nêu trên kể từ 10 giờ 00 phút, ngày 27/11/2026" in flat
    assert reason in flat
    assert "Kính gửi Ông/Bà: Nguyễn Văn An" in flat and d.code in flat
    # The control slip records the stop too.
    assert any("Dừng xử lý" in note for r in services.control_rows(d) for note in r.notes)


def test_stop_notice_for_a_withdrawal_says_it_was_the_applicants_request(world, received):
    act(world, received, "withdraw", "2026-11-17 08:00", OFFICER, reason="Gia đình chuyển đến tỉnh khác sinh sống.")
    flat = pdftools.flat(services.stop_notice_pdf(received))
    assert "Theo đề nghị của Ông/Bà, Trung tâm PVHCC phường Hạc Thành thông báo dừng giải quyết hồ sơ" in flat
    assert "Gia đình chuyển đến tỉnh khác sinh sống." in flat


# ---------------------------------------------------------------- forms that do not apply


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ("01", "chưa được tiếp nhận"),
        ("02", "chưa có yêu cầu bổ sung"),
        ("03", "không bị từ chối"),
        ("04", "chưa có văn bản xin lỗi"),
        ("05", "chưa được tiếp nhận"),
        ("dung", "không bị dừng giải quyết"),
        ("07", "Không có biểu mẫu"),
    ],
)
def test_a_form_the_history_does_not_support_is_refused(world, form, message):
    d = new(world)  # submitted, nothing else
    with pytest.raises(services.FormNotApplicable) as err:
        services.dossier_form_pdf(d, form)
    assert message in err.value.message and (d.code in err.value.message or form == "07")


def test_a_received_dossier_has_no_refusal_apology_or_stop_notice(received):
    for form in ("03", "04", "dung", "02"):
        with pytest.raises(services.FormNotApplicable):
            services.dossier_form_pdf(received, form)
    assert services.dossier_form_pdf(received, "01").startswith(b"%PDF")
    assert services.dossier_form_pdf(received, "05").startswith(b"%PDF")


# ---------------------------------------------------------------- formatting


@pytest.mark.parametrize(
    ("day", "expected"),
    [("2026-02-05 09:00", "ngày 05 tháng 02 năm 2026"), ("2026-11-16 09:00", "ngày 16 tháng 11 năm 2026"),
     ("2026-03-09 09:00", "ngày 09 tháng 3 năm 2026")],
)
def test_date_line_pads_days_below_ten_and_january_february(day, expected):
    assert services.date_line(at(day)) == expected


def test_money_uses_dot_grouping():
    assert services.money(1250000) == "1.250.000 đồng"
    assert services.money(0) == "0 đồng"
