"""Ratings (once, after the result was returned) and feedback (PAKN): sent without signing in, named or
anonymous, followed by its code; bad input is refused in Vietnamese with nothing written."""

import re

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.catalog.models import Procedure
from motcua.dossiers import services as dossier_services
from motcua.feedback import services
from motcua.feedback.models import Feedback, FeedbackAttachment, Rating
from motcua.org.roles import Role
from tests.factories import at

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MOTCUA_DVCQG_SYNC = False
    return tmp_path


def returned(world):
    d = world.new_dossier(now=at("2026-11-16 08:55"))
    steps = [("receive", Role.ONE_STOP_OFFICER), ("forward", Role.ONE_STOP_OFFICER), ("forward", Role.SPECIALIST),
             ("forward", Role.HEAD_OF_AGENCY), ("finish", Role.CLERK)]
    for hour, (action, role) in enumerate(steps, start=9):
        dossier_services.perform(d, action, actor=world.user(role), now=at(f"2026-11-16 {hour:02d}:00"))
    dossier_services.perform(d, "return_result", actor=world.user(Role.ONE_STOP_OFFICER),
                             data={"method": "counter"}, now=at("2026-11-17 09:00"))
    d.refresh_from_db()
    return d


# ---------------------------------------------------------------- rate()


def test_a_dossier_is_rated_once_and_only_after_its_result_was_returned(world):
    d = world.new_dossier(now=at("2026-11-16 08:55"))
    with pytest.raises(services.FeedbackError, match="chưa được trả kết quả") as refused:
        services.rate(d, "satisfied")
    assert refused.value.status == 409 and not Rating.objects.exists()
    d = returned(world)
    rating = services.rate(d, "dissatisfied", "  Phải chờ lâu ở quầy.  ", now=at("2026-11-18 08:00"))
    assert (rating.level, rating.comment, rating.get_level_display()) == ("dissatisfied", "Phải chờ lâu ở quầy.", "Không hài lòng")
    with pytest.raises(services.FeedbackError, match="18/11/2026.*chỉ được đánh giá một lần") as again:
        services.rate(d, "very_satisfied")
    assert again.value.status == 409
    assert Rating.objects.get().level == "dissatisfied"


@pytest.mark.parametrize("level,comment,message", [
    ("", "", "Hãy chọn một mức"),
    ("hai_long", "", "Hãy chọn một mức"),
    ("satisfied", "x" * 1001, "rút gọn trong 1000 ký tự"),
])
def test_a_bad_rating_says_what_to_fix(world, level, comment, message):
    d = returned(world)
    with pytest.raises(services.FeedbackError, match=message) as bad:
        services.rate(d, level, comment)
    assert bad.value.status == 400 and not Rating.objects.exists()


def test_the_three_levels_carry_the_national_portals_words():
    assert [str(label) for _, label in Rating.Level.choices] == ["Rất hài lòng", "Hài lòng", "Không hài lòng"]


# ---------------------------------------------------------------- feedback pages


def post(client, **fields):
    data = {"kind": "regulation", "text": "Thủ tục yêu cầu nộp bản sao giấy tờ đã có trong CSDL dân cư."} | fields
    return client.post("/danh-gia/phan-anh/", data)


def test_feedback_about_an_officer_with_contact_and_a_dossier_is_followed_by_its_code(world, client):
    d = returned(world)
    form = client.get(f"/danh-gia/phan-anh/?ho_so={d.code}")
    assert form.status_code == 200 and f'value="{d.code}"' in form.content.decode()
    response = post(
        client, kind="officer", text="Cán bộ tiếp nhận yêu cầu nộp thêm giấy tờ không có trong danh mục.",
        dossier_code=d.code.lower(), contact_name="Nguyễn Văn An", contact_phone="+84 912 345 678",
        contact_email="an@vidu.vn", attachment=SimpleUploadedFile("anh.pdf", PDF),
    )
    assert response.status_code == 201
    code = re.search(r"PAKN-\d{6}-[A-Z0-9]{4}", response.content.decode()).group(0)
    feedback = Feedback.objects.get(code=code)
    assert (feedback.kind, feedback.state, feedback.contact_phone, feedback.anonymous) == ("officer", "received", "0912345678", False)
    # Linked for staff; nothing is taken from the dossier, so the public page cannot tell what a code is about.
    assert feedback.dossier == d and feedback.procedure is None and feedback.agency is None
    assert feedback.attachments.get().file.read() == PDF
    follow = client.get(f"/danh-gia/phan-anh/{code}/")
    html = follow.content.decode()
    assert follow.status_code == 200 and "Đã tiếp nhận" in html and "Về hành vi, thái độ của cán bộ, công chức" in html
    assert "Chưa có câu trả lời" in html
    assert "0912345678" not in html and "an@vidu.vn" not in html  # the sender's contact stays private
    # The back office answers (a later issue writes this through its own service).
    Feedback.objects.filter(pk=feedback.pk).update(
        state="answered", answer="Đã nhắc nhở cán bộ; giấy tờ đó không phải nộp.", answered_at=at("2026-11-20 10:00"),
        answering_agency=world.committee,
    )
    html = client.get(f"/danh-gia/phan-anh/{code.lower()}/").content.decode()
    assert "Đã trả lời" in html and "Đã nhắc nhở cán bộ; giấy tờ đó không phải nộp." in html and "20/11/2026 10:00" in html


def test_anonymous_feedback_about_a_procedure(world, client):
    procedure = Procedure.objects.get(code="1.004222")
    response = post(client, procedure=str(procedure.pk))
    assert response.status_code == 201
    feedback = Feedback.objects.get()
    assert feedback.anonymous and feedback.procedure == procedure and feedback.dossier is None
    assert feedback.code.startswith("PAKN-") and feedback.code in response.content.decode()


def test_an_unknown_dossier_code_is_kept_without_saying_it_does_not_exist(world, client):
    response = post(client, dossier_code="000.00.00.H00-260101-0001")
    assert response.status_code == 201
    feedback = Feedback.objects.get()
    assert feedback.dossier is None and feedback.dossier_code == "000.00.00.H00-260101-0001"


@pytest.mark.parametrize("fields,status,message", [
    ({"kind": ""}, 400, "Hãy chọn nội dung phản ánh"),
    ({"kind": "khieu_nai"}, 400, "Hãy chọn nội dung phản ánh"),
    ({"text": "Chậm"}, 400, "ít nhất 10 ký tự"),
    ({"text": "x" * 5001}, 400, "rút gọn trong 5000 ký tự"),
    ({"contact_phone": "12345"}, 400, "Số điện thoại “12345” không đúng"),
    ({"contact_email": "an@"}, 400, "Địa chỉ thư điện tử “an@” không đúng"),
    ({"agency": "999999"}, 400, "Cơ quan, đơn vị đã chọn không có trong danh sách"),
    ({"procedure": "abc"}, 400, "Thủ tục hành chính đã chọn không có trong danh sách"),
    ({"attachment": SimpleUploadedFile("a.pdf", b"<svg onload=alert(1)>")}, 415, "không phải PDF, ảnh JPEG hoặc PNG"),
])
def test_bad_feedback_is_refused_with_nothing_written(world, client, media, fields, status, message):
    response = post(client, contact_name="Nguyễn Văn An", **fields)
    assert response.status_code == status and message in response.content.decode()
    assert 'value="Nguyễn Văn An"' in response.content.decode()  # what was typed is kept
    assert not Feedback.objects.exists() and not FeedbackAttachment.objects.exists()
    assert not list(media.rglob("*.*"))


def test_a_code_drawn_twice_the_same_day_is_drawn_again(world, monkeypatch):
    drawn = iter(["PAKN-261121-AAAA", "PAKN-261121-AAAA", "PAKN-261121-BBBB"])
    monkeypatch.setattr(services, "new_code", lambda now: next(drawn))
    first = services.submit_feedback(kind="other", text="Đề nghị mở thêm quầy buổi trưa.")
    second = services.submit_feedback(kind="other", text="Đề nghị có chỗ gửi xe miễn phí.")
    assert (first, second) == ("PAKN-261121-AAAA", "PAKN-261121-BBBB")
    assert Feedback.objects.count() == 2


def test_following_an_unknown_code_is_not_found_and_guessing_is_limited(world, client):
    code = services.submit_feedback(kind="other", text="Đề nghị mở thêm quầy buổi trưa.")
    lookup = client.get("/danh-gia/phan-anh/theo-doi/", {"ma": code.lower()})
    assert lookup.status_code == 302 and lookup["Location"] == f"/danh-gia/phan-anh/{code}/"
    for _ in range(10):
        missing = client.get("/danh-gia/phan-anh/PAKN-261121-ZZZZ/")
        assert missing.status_code == 404 and "Không tìm thấy phản ánh, kiến nghị mã" in missing.content.decode()
    blocked = client.get(f"/danh-gia/phan-anh/{code}/")
    assert blocked.status_code == 429 and "quá nhiều lần" in blocked.content.decode()
    assert client.get(f"/danh-gia/phan-anh/{code}/", REMOTE_ADDR="10.9.9.9").status_code == 200


def test_both_are_in_the_admin():
    assert Rating in admin.site._registry and Feedback in admin.site._registry


def test_the_form_sent_twice_makes_one_item(world, client):
    import re as regex

    form = client.get("/danh-gia/phan-anh/").content.decode()
    token = regex.search(r'name="khoa" value="([^"]+)"', form).group(1)
    first = post(client, khoa=token)
    again = post(client, khoa=token)  # a second click, or the browser resending the form
    codes = {regex.search(r"PAKN-\d{6}-[A-Z0-9]{4}", r.content.decode()).group(0) for r in (first, again)}
    assert len(codes) == 1 and Feedback.objects.count() == 1
    post(client, khoa="another-form")
    assert Feedback.objects.count() == 2


def test_an_intake_key_is_honoured_by_the_service(world):
    from motcua.feedback.services import FeedbackError, submit_feedback

    text = "Thủ tục yêu cầu nộp bản sao giấy tờ đã có trong CSDL dân cư."
    code = submit_feedback(kind="regulation", text=text, intake_key="api:1:abc")
    assert submit_feedback(kind="regulation", text=text, intake_key="api:1:abc") == code
    assert Feedback.objects.get(code=code).events.count() == 1
    with pytest.raises(FeedbackError):
        submit_feedback(kind="regulation", text=text, intake_key="x" * 101)
