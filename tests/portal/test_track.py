"""Tracking a dossier on the citizen portal, as a citizen meets it: look it up by code and phone or ID
(a wrong pair tells nothing, and guessing is limited), read what happened in plain words, supply the
missing items, withdraw, download the papers, pay, rate."""

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from motcua.documents import services as documents
from motcua.documents.models import Document
from motcua.dossiers import services
from motcua.dossiers.models import Pause, State
from motcua.feedback.models import FailedLookup, Rating
from motcua.org.roles import Role
from motcua.portal import identity, tracking
from motcua.portal.models import CitizenAccount
from tests.factories import VALID_PID, at

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
HTML = b"<html><script>alert(1)</script></html>"
INTERNAL = ("request_supplement", "supply_supplement", "awaiting", "processing", "forward", "return_result")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MOTCUA_DVCQG_SYNC = False
    return tmp_path


def act(world, d, action, when, role=None, **data):
    services.perform(d, action, actor=world.user(role) if role else None, data=data, now=at(when))
    d.refresh_from_db()
    return d


def paid_fees(world):
    return [{"fee_line": f.pk, "paid": True} for f in world.case().fees.all()]


def new(world, **kwargs):
    kwargs.setdefault("fees", paid_fees(world))
    return world.new_dossier(now=at("2026-11-16 08:55"), **kwargs)


def processing(world, **kwargs):
    d = new(world, **kwargs)
    act(world, d, "receive", "2026-11-16 09:00", Role.ONE_STOP_OFFICER)
    return act(world, d, "forward", "2026-11-16 10:00", Role.ONE_STOP_OFFICER)


ITEMS = [
    {"name": "Giấy tờ chứng minh chỗ ở hợp pháp", "reason": "Bản chụp bị mờ, không đọc được số thửa đất."},
    {"name": "Tờ khai thay đổi thông tin cư trú (CT01)", "reason": "Thiếu chữ ký của chủ hộ."},
]


def awaiting_supplement(world, **kwargs):
    d = processing(world, **kwargs)
    return act(world, d, "request_supplement", "2026-11-17 09:00", Role.SPECIALIST, items=ITEMS, answer_days=5)


def returned(world, method="counter", **kwargs):
    d = processing(world, **kwargs)
    act(world, d, "forward", "2026-11-17 15:00", Role.SPECIALIST)
    act(world, d, "forward", "2026-11-18 10:00", Role.HEAD_OF_AGENCY)
    act(world, d, "finish", "2026-11-18 10:30", Role.CLERK)
    return act(world, d, "return_result", "2026-11-18 11:00", Role.ONE_STOP_OFFICER, method=method)


def look_up(client, code, secret, ip="10.0.0.1"):
    return client.post("/tra-cuu/", {"code": code, "secret": secret}, REMOTE_ADDR=ip)


def tracked(client, d, secret="0912345678"):
    response = look_up(client, d.code, secret)
    assert response.status_code == 302
    return client


def page(client, d):
    response = client.get(f"/tra-cuu/ho-so/{d.code}/")
    assert response.status_code == 200
    return response.content.decode()


def upload(name, content, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


# ---------------------------------------------------------------- look-up


def test_lookup_with_the_phone_on_the_dossier_opens_its_page(world, client):
    d = processing(world)
    response = look_up(client, d.code.lower(), "+84 912 345 678")
    assert response.status_code == 302 and response["Location"] == f"/tra-cuu/ho-so/{d.code}/"
    html = page(client, d)
    assert d.code in html and "Đăng ký thường trú" in html
    assert "Cán bộ chuyên môn đang xem xét hồ sơ (UBND phường Hạc Thành)" in html
    assert f"Hẹn trả kết quả:</strong> {tracking.when(d.due_at)}" in html
    assert re.search(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", tracking.when(d.due_at))


def test_lookup_with_the_personal_id_works_too(world, client):
    d = processing(world)
    assert look_up(client, d.code, VALID_PID).status_code == 302
    assert client.get(f"/tra-cuu/ho-so/{d.code}/").status_code == 200


def _without_token(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_a_wrong_phone_reveals_nothing(world, client):
    d = processing(world)
    wrong = look_up(client, d.code, "0987654321")
    unknown_code = d.code[:-4] + "9999"
    unknown = look_up(client, unknown_code, "0987654321")
    assert wrong.status_code == unknown.status_code == 404
    # The only difference allowed: the code the citizen typed, given back in the form.
    wrong_html = _without_token(wrong.content.decode()).replace(f'value="{d.code}"', 'value="<CODE>"')
    unknown_html = _without_token(unknown.content.decode()).replace(f'value="{unknown_code}"', 'value="<CODE>"')
    assert wrong_html == unknown_html
    assert "Không tìm thấy hồ sơ với mã và số điện thoại" in wrong_html
    assert "Nguyễn Văn An" not in wrong_html and "thường trú" not in wrong_html
    # Nothing was remembered: the dossier's page stays closed.
    assert client.get(f"/tra-cuu/ho-so/{d.code}/").status_code == 404


@pytest.mark.parametrize("code,secret,message", [
    ("", "0912345678", "Hãy nhập mã hồ sơ"),
    ("X", "", "Hãy nhập số điện thoại hoặc số định danh"),
    ("X", "12345", "Số điện thoại có 10 chữ số"),
])
def test_empty_or_malformed_fields_say_what_to_fix(world, client, code, secret, message):
    response = look_up(client, code, secret)
    assert response.status_code == 400 and message in response.content.decode()
    assert not FailedLookup.objects.exists()  # a typo in the form is not a guess


def test_failed_lookups_are_limited_per_address_in_the_database(world, client):
    d = processing(world)
    for _ in range(10):
        assert look_up(client, d.code, "0999999999").status_code == 404
    assert FailedLookup.objects.filter(scope="track", client="10.0.0.1").count() == 10
    blocked = look_up(client, d.code, "0912345678")  # even the right pair, while the limit holds
    assert blocked.status_code == 429 and "quá nhiều lần" in blocked.content.decode()
    # Another address is not affected.
    assert look_up(client, d.code, "0912345678", ip="10.0.0.2").status_code == 302


def test_qr_link_prefills_the_code_and_a_tracked_dossier_opens_directly(world, client):
    d = processing(world)
    response = client.get(f"/tra-cuu/?ma={d.code}")
    assert response.status_code == 200 and f'value="{d.code}"' in response.content.decode()
    tracked(client, d)
    assert client.get(f"/tra-cuu/?ma={d.code}")["Location"] == f"/tra-cuu/ho-so/{d.code}/"


def test_a_signed_in_citizen_sees_dossiers_with_his_id_and_no_others(world, client):
    mine = processing(world)
    other = processing(world, applicant=world.applicant(personal_id="001090012345", phone="0911111111"))
    account = CitizenAccount.objects.create(personal_id=VALID_PID, full_name="Nguyễn Văn An", phone=mine.phone)
    session = client.session
    session[identity.SESSION_KEY] = account.pk
    session.save()
    # Not yet confirmed: typing an ID at sign-up proves nothing, so nothing opens without a look-up.
    assert client.get(f"/tra-cuu/ho-so/{mine.code}/").status_code == 404
    CitizenAccount.objects.filter(pk=account.pk).update(phone_verified_at=timezone.now())
    assert client.get(f"/tra-cuu/ho-so/{mine.code}/").status_code == 200
    assert mine.code in client.get("/tra-cuu/").content.decode()
    assert client.get(f"/tra-cuu/ho-so/{other.code}/").status_code == 404


# ---------------------------------------------------------------- plain words


def test_the_timeline_tells_the_story_without_internal_words(world, client):
    d = awaiting_supplement(world)
    services.perform(d, "supply_supplement", actor=world.user(Role.ONE_STOP_OFFICER), now=at("2026-11-18 09:00"))
    act(world, d, "forward", "2026-11-18 15:00", Role.SPECIALIST)
    act(world, d, "forward", "2026-11-19 10:00", Role.HEAD_OF_AGENCY)
    act(world, d, "finish", "2026-11-19 10:30", Role.CLERK)
    act(world, d, "return_result", "2026-11-19 11:00", Role.ONE_STOP_OFFICER, method="post", tracking_number="EMS123VN")
    lines = [(m.at, m.text) for m in tracking.timeline(d)]
    assert lines == [
        ("16/11/2026 08:55", "Hồ sơ được nộp tại bộ phận một cửa."),
        ("16/11/2026 09:00", "Hồ sơ đã được tiếp nhận tại Trung tâm PVHCC phường Hạc Thành."),
        ("16/11/2026 10:00", "Hồ sơ được chuyển cho cán bộ chuyên môn (UBND phường Hạc Thành) xem xét."),
        ("17/11/2026 09:00", "Cơ quan giải quyết đề nghị ông/bà bổ sung 2 giấy tờ; thời gian giải quyết tạm dừng "
                             "đến khi ông/bà bổ sung."),
        ("18/11/2026 09:00", "Đã nhận giấy tờ bổ sung; thời gian giải quyết được tính tiếp."),
        ("18/11/2026 15:00", "Hồ sơ được chuyển cho lãnh đạo cơ quan (UBND phường Hạc Thành) xem xét."),
        ("19/11/2026 10:00", "Hồ sơ được chuyển cho văn thư (UBND phường Hạc Thành) xem xét."),
        ("19/11/2026 10:30", "Đã có kết quả giải quyết hồ sơ."),
        ("19/11/2026 11:00", "Kết quả đã được gửi qua bưu chính, số vận đơn EMS123VN."),
    ]
    html = page(tracked(client, d), d)
    assert "Đã có kết quả giải quyết hồ sơ." in html
    for word in INTERNAL:
        assert word not in html


def test_next_step_per_state(world):
    d = new(world)
    assert tracking.next_step(d).kind == "none"
    assert tracking.current_step(d) == "Hồ sơ đã nộp, đang chờ bộ phận một cửa kiểm tra và tiếp nhận."

    d = awaiting_supplement(world)
    step = tracking.next_step(d)
    assert step.kind == "supply" and [(i.name, i.reason) for i in step.items] == [(i["name"], i["reason"]) for i in ITEMS]
    assert step.deadline == "25/11/2026 09:00"  # 5 working days, Tue 24/11 is a holiday

    d = processing(world)
    act(world, d, "request_payment", "2026-11-17 09:00", Role.SPECIALIST, amount=500_000, description="Lệ phí trước bạ")
    step = tracking.next_step(d)
    assert step.kind == "pay" and "500.000 đồng" in step.text and "Lệ phí trước bạ" in step.text

    d = processing(world)
    assert tracking.next_step(d).text == "Ông/bà không cần làm gì lúc này; hồ sơ đang được giải quyết."

    d = processing(world)
    act(world, d, "forward", "2026-11-17 15:00", Role.SPECIALIST)
    act(world, d, "forward", "2026-11-18 10:00", Role.HEAD_OF_AGENCY)
    act(world, d, "finish", "2026-11-18 10:30", Role.CLERK)
    step = tracking.next_step(d)
    assert step.kind == "collect" and "Trung tâm PVHCC phường Hạc Thành" in step.text and "Mẫu 01" in step.text

    d = returned(world)
    assert tracking.next_step(d).text == "Ông/bà không cần làm gì thêm." and tracking.due_time(d) is None


def test_completion_before_reception_lists_items_and_sends_back_to_reception(world, client):
    d = new(world)
    act(world, d, "request_completion", "2026-11-16 09:00", Role.ONE_STOP_OFFICER, items=ITEMS[:1])
    tracked(client, d)
    html = page(client, d)
    assert ITEMS[0]["name"] in html and ITEMS[0]["reason"] in html
    response = client.post(f"/tra-cuu/ho-so/{d.code}/bo-sung/", {"item-0": upload("cho-o.pdf", PDF)})
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.state == State.SUBMITTED and d.documents.count() == 1


# ---------------------------------------------------------------- supply, withdraw


def test_supplying_the_missing_items_resumes_the_clock(world, client, media):
    d = awaiting_supplement(world)
    due_before = d.due_at
    tracked(client, d)
    response = client.post(f"/tra-cuu/ho-so/{d.code}/bo-sung/", {
        "item-0": upload("giay-cho-o.pdf", PDF), "item-1": upload("to-khai.png", PNG, "image/png"),
        "note": "Đã ký lại tờ khai.",
    })
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.state == State.PROCESSING
    pause = d.pauses.get(kind=Pause.Kind.SUPPLEMENT)
    assert pause.ended_at is not None and "Đã ký lại tờ khai." in pause.answer["note"]
    assert d.due_at > due_before  # the paused time is given back
    docs = list(d.documents.order_by("pk"))
    assert [(x.original_name, x.content_type, x.kind) for x in docs] == [
        ("giay-cho-o.pdf", "application/pdf", "component"), ("to-khai.png", "image/png", "component"),
    ]
    assert docs[0].file.read() == PDF
    assert "Đã gửi giấy tờ bổ sung" in page(client, d)


def test_a_file_that_is_not_pdf_or_image_is_refused_and_nothing_changes(world, client, media):
    d = awaiting_supplement(world)
    tracked(client, d)
    response = client.post(f"/tra-cuu/ho-so/{d.code}/bo-sung/", {
        "item-0": upload("giay-cho-o.pdf", PDF), "item-1": upload("to-khai.pdf", HTML),
    })
    assert response.status_code == 415
    assert "không phải PDF, ảnh JPEG hoặc PNG" in response.content.decode()
    d.refresh_from_db()
    assert d.state == State.AWAITING_SUPPLEMENT and d.pauses.get().ended_at is None
    assert not Document.objects.exists() and not list(media.rglob("*.*"))


def test_every_requested_item_needs_a_file(world, client):
    d = awaiting_supplement(world)
    tracked(client, d)
    response = client.post(f"/tra-cuu/ho-so/{d.code}/bo-sung/", {"item-0": upload("a.pdf", PDF)})
    assert response.status_code == 400 and "Còn thiếu tệp cho: Tờ khai thay đổi thông tin cư trú (CT01)" in response.content.decode()
    d.refresh_from_db()
    assert d.state == State.AWAITING_SUPPLEMENT and not Document.objects.exists()


def test_withdrawing_needs_a_reason_and_closes_the_dossier(world, client):
    d = processing(world)
    tracked(client, d)
    refused = client.post(f"/tra-cuu/ho-so/{d.code}/rut-ho-so/", {"reason": "  "})
    assert refused.status_code == 400 and "Hãy ghi lý do rút hồ sơ." in refused.content.decode()
    d.refresh_from_db()
    assert d.state == State.PROCESSING
    assert client.post(f"/tra-cuu/ho-so/{d.code}/rut-ho-so/", {"reason": "Đã chuyển nơi ở khác"}).status_code == 302
    d.refresh_from_db()
    assert d.state == State.WITHDRAWN and d.closed_at is not None
    assert d.events.get(action="withdraw").reason.endswith("Đã chuyển nơi ở khác")
    html = page(client, d)
    assert "Hồ sơ đã được rút theo đề nghị của ông/bà. Lý do: Đã chuyển nơi ở khác" in html
    assert "rut-ho-so" not in html  # no second withdrawal offered


def test_a_returned_dossier_cannot_be_withdrawn(world, client):
    d = returned(world)
    tracked(client, d)
    response = client.post(f"/tra-cuu/ho-so/{d.code}/rut-ho-so/", {"reason": "Không cần nữa"})
    assert response.status_code == 409 and "không rút được nữa" in response.content.decode()
    d.refresh_from_db()
    assert d.state == State.RETURNED


def test_actions_on_a_dossier_not_looked_up_are_not_found(world, client):
    d = awaiting_supplement(world)
    for path, data in [("bo-sung/", {"item-0": upload("a.pdf", PDF)}), ("rut-ho-so/", {"reason": "x"}),
                       ("thanh-toan/", {}), ("danh-gia/", {"level": "satisfied"})]:
        assert client.post(f"/tra-cuu/ho-so/{d.code}/{path}", data).status_code == 404
    d.refresh_from_db()
    assert d.state == State.AWAITING_SUPPLEMENT and not Document.objects.exists()


# ---------------------------------------------------------------- papers


def test_papers_issued_download_for_the_tracked_dossier_only(world, client, media):
    d = awaiting_supplement(world)
    other = processing(world, applicant=world.applicant(phone="0911111111"))
    tracked(client, d)
    html = page(client, d)
    assert f"/tra-cuu/ho-so/{d.code}/mau-01.pdf" in html and f"/tra-cuu/ho-so/{d.code}/mau-02.pdf" in html
    assert "mau-04.pdf" not in html
    for form in ("01", "02"):
        response = client.get(f"/tra-cuu/ho-so/{d.code}/mau-{form}.pdf")
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"/tra-cuu/ho-so/{d.code}/mau-04.pdf").status_code == 404  # no apology issued
    assert client.get(f"/tra-cuu/ho-so/{d.code}/mau-05.pdf").status_code == 404  # not a citizen's paper
    assert client.get(f"/tra-cuu/ho-so/{other.code}/mau-01.pdf").status_code == 404


def test_electronic_result_downloads_once_returned(world, client, media):
    d = processing(world)
    act(world, d, "forward", "2026-11-17 15:00", Role.SPECIALIST)
    act(world, d, "forward", "2026-11-18 10:00", Role.HEAD_OF_AGENCY)
    checked = documents.check_upload(upload("Kết quả đăng ký.pdf", PDF))
    result = documents.attach(dossier=d, checked=checked, actor=world.user(Role.CLERK), kind="result")
    act(world, d, "finish", "2026-11-18 10:30", Role.CLERK)
    tracked(client, d)
    url = f"/tra-cuu/ho-so/{d.code}/ket-qua/{result.pk}/"
    assert client.get(url).status_code == 404  # returned at the counter later, not yet
    act(world, d, "return_result", "2026-11-18 11:00", Role.ONE_STOP_OFFICER, method="electronic")
    assert url in page(client, d)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;") and response["X-Content-Type-Options"] == "nosniff"
    # Another dossier's code with this file's number: not found.
    other = processing(world, applicant=world.applicant(phone="0911111111"))
    tracked(client, other, "0911111111")
    assert client.get(f"/tra-cuu/ho-so/{other.code}/ket-qua/{result.pk}/").status_code == 404


# ---------------------------------------------------------------- rating


def test_rating_from_the_tracking_page_once_after_return(world, client):
    d = processing(world)
    tracked(client, d)
    early = client.post(f"/tra-cuu/ho-so/{d.code}/danh-gia/", {"level": "satisfied"})
    assert early.status_code == 409 and "chưa được trả kết quả" in early.content.decode()
    assert 'name="level"' not in page(client, d)
    returned_d = returned(world, applicant=world.applicant(phone="0922222222"))
    tracked(client, returned_d, "0922222222")
    html = page(client, returned_d)
    assert "Rất hài lòng" in html and "Không hài lòng" in html and 'name="level"' in html
    bad = client.post(f"/tra-cuu/ho-so/{returned_d.code}/danh-gia/", {"level": "5 sao"})
    assert bad.status_code == 400 and "Hãy chọn một mức" in bad.content.decode() and not Rating.objects.exists()
    ok = client.post(f"/tra-cuu/ho-so/{returned_d.code}/danh-gia/", {"level": "very_satisfied", "comment": "Nhanh, gọn."})
    assert ok.status_code == 302
    again = client.post(f"/tra-cuu/ho-so/{returned_d.code}/danh-gia/", {"level": "dissatisfied"})
    assert again.status_code == 409 and "chỉ được đánh giá một lần" in again.content.decode()
    rating = Rating.objects.get()
    assert (rating.dossier_id, rating.level, rating.comment) == (returned_d.pk, "very_satisfied", "Nhanh, gọn.")
    html = page(client, returned_d)
    assert "Ông/bà đã đánh giá “Rất hài lòng”" in html and 'name="level"' not in html


# ---------------------------------------------------------------- payment


@pytest.fixture
def platform(tworld, live_server, settings):
    settings.MOTCUA_PUBLIC_URL = live_server.url
    settings.MOTCUA_LOCAL_RECEIVERS = True
    return live_server


def test_pay_button_goes_to_the_payment_platform_and_back(platform, tworld, client):
    d = processing(tworld)
    act(tworld, d, "request_payment", "2026-11-17 09:00", Role.SPECIALIST, amount=500_000, description="Lệ phí trước bạ")
    tracked(client, d)
    html = page(client, d)
    assert "Thanh toán trực tuyến" in html and "500.000 đồng" in html
    response = client.post(f"/tra-cuu/ho-so/{d.code}/thanh-toan/")
    assert response.status_code == 302
    pay_url = urlsplit(response["Location"])
    assert pay_url.path.startswith("/thanh-toan/sandbox/pay/dvc")
    payment = d.payments.get()
    assert payment.amount == 500_000 and payment.status == "khoi-tao"
    assert "Đang chờ thanh toán" in page(client, d)
    back = urlsplit(client.post(pay_url.path, {"outcome": "pay"})["Location"])
    assert back.path == "/thanh-toan/ket-qua/"
    assert client.get(back.path, dict(parse_qsl(back.query))).status_code == 200
    d.refresh_from_db()
    assert d.state == State.PROCESSING
    html = page(client, d)
    assert "Đã thanh toán" in html and "Khoản tiền phải nộp đã được xác nhận" in html
    assert "thanh-toan/\"" not in html  # the button is gone
    # The electronic receipt, for this dossier's tracker only.
    receipt = client.get(f"/tra-cuu/ho-so/{d.code}/bien-lai/{payment.reference}/")
    assert receipt.status_code == 200 and receipt.content.startswith(b"%PDF-")
    assert receipt["Content-Disposition"].startswith("attachment")
    assert client.get(f"/tra-cuu/ho-so/{d.code}/bien-lai/dvcKHONGCO/").status_code == 404
    stranger = Client()
    assert stranger.get(f"/tra-cuu/ho-so/{d.code}/bien-lai/{payment.reference}/").status_code == 404
