"""The pages of applying online: the e-form from the schema, the checklist with plain uploads, drafts,
and the idempotent submission that makes one dossier with its files."""

import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from motcua.applications import services
from motcua.applications.forms import EForm
from motcua.applications.models import ApplicationDraft, ResumableUpload
from motcua.catalog.models import OnlineLevel
from motcua.documents.models import Document
from motcua.dossiers.models import Channel, Dossier, State
from tests.factories import VALID_PID, run_at_once

from .conftest import PDF, PNG, SCHEMA, SVG, VALID_ANSWERS, make_citizen, sign_in


def url(name, case):
    return reverse(f"applications:{name}", args=[case.pk])


def required_components(case):
    return [c for c in case.components.all() if c.required and not c.national_data]


def fill(client, case, answers=None):
    return client.post(url("start", case), (answers or VALID_ANSWERS) | {"next": "1"})


def upload_plain(client, case, component, content=PDF, name="giay-to.pdf"):
    return client.post(url("components", case), {"component": component.pk, "file": SimpleUploadedFile(name, content)})


def ready(client, case):
    """A draft with a valid e-form and every required paper uploaded without JavaScript."""
    assert fill(client, case).status_code == 302
    for c in required_components(case):
        assert upload_plain(client, case, c).status_code == 302
    return ApplicationDraft.objects.get(case=case, status="draft")


def review_post(client, case, world, **extra):
    draft = ApplicationDraft.objects.filter(case=case).order_by("-pk").first()
    data = {
        "receiving_agency": world.centre.pk, "phone": "0912345678", "email": "an@example.vn",
        "notify": ["sms", "email"], "return_method": "electronic", "submission_key": draft.submission_key,
        "submit": "1",
    } | extra
    return client.post(url("review", case), data)


# ---------------------------------------------------------------- the e-form


def test_sign_in_is_needed_first(client, case):
    response = client.get(url("start", case))
    assert response.status_code == 302
    assert response["Location"].startswith("/cong-dan/dang-nhap/?next=")
    assert f"%2Fnop-truc-tuyen%2F{case.pk}%2F" in response["Location"]


def test_a_case_not_offered_online_says_so(signed_in, case):
    case.online_level = OnlineLevel.NONE
    case.save()
    response = signed_in.get(url("start", case))
    assert response.status_code == 409
    assert "không được cung cấp trực tuyến" in response.content.decode()
    assert not ApplicationDraft.objects.exists()


def test_form_rendered_from_the_schema_with_labels_required_marks_and_types(signed_in, case):
    response = signed_in.get(url("start", case))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tờ khai thử" in html
    assert re.search(r'Họ, chữ đệm và tên <span class="req"', html)
    assert re.search(r'<input type="date" name="ngay_sinh"[^>]*required', html)
    assert re.search(r'<input type="number" name="so_ban"[^>]*max="10"[^>]*min="1"', html) or (
        'name="so_ban"' in html and 'min="1"' in html
    )
    assert 'type="radio" name="gioi_tinh" value="Nữ"' in html
    assert 'type="checkbox" name="dong_y"' in html
    assert "<h2>Nơi ở hiện tại</h2>" in html and 'name="noi_o__dia_chi"' in html
    assert 'maxlength="100"' in html


def test_prefilled_from_the_account_and_population_data(signed_in, case):
    html = signed_in.get(url("start", case)).content.decode()
    assert 'value="Nguyễn Văn An"' in html
    assert f'value="{VALID_PID}"' in html
    assert 'value="1987-05-04"' in html  # birth date from the population data
    assert re.search(r'value="Nam"[^>]*checked', html)


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"ho_ten": ""}, "ho_ten", "Hãy điền “Họ, chữ đệm và tên”."),
        ({"ngay_sinh": "31/02/1987"}, "ngay_sinh", "hãy nhập ngày theo dạng ngày/tháng/năm"),
        ({"so_ban": "11"}, "so_ban", "“Số bản” không được lớn hơn 10."),
        ({"so_ban": "hai"}, "so_ban", "“Số bản” phải là số nguyên."),
        ({"gioi_tinh": "Khác"}, "gioi_tinh", "Hãy chọn một trong các lựa chọn của “Giới tính”."),
        ({"ho_ten": "A" * 101}, "ho_ten", "“Họ, chữ đệm và tên” dài tối đa 100 ký tự."),
        ({"dong_y": None}, "dong_y", "Hãy đánh dấu “Tôi cam đoan nội dung khai là đúng”."),
        ({"noi_o__dia_chi": ""}, "noi_o__dia_chi", "Hãy điền “Địa chỉ”."),
    ],
)
def test_validation_messages_in_vietnamese(change, field, message):
    data = {k: v for k, v in (VALID_ANSWERS | change).items() if v is not None}
    form = EForm(data, schema=SCHEMA)
    assert not form.is_valid()
    assert list(form.errors) == [field]
    assert message in form.errors[field][0]


def test_valid_answers_become_json_nested_like_the_schema():
    form = EForm(VALID_ANSWERS, schema=SCHEMA)
    assert form.is_valid(), form.errors
    assert form.cleaned_json() == {
        "ho_ten": "Nguyễn Văn An", "so_dinh_danh": VALID_PID, "ngay_sinh": "1987-05-04", "gioi_tinh": "Nam",
        "so_ban": 2, "dien_tich": 45.5, "dong_y": True, "noi_o": {"dia_chi": "Số 5 Lê Lợi"},
    }


def test_invalid_post_is_kept_in_the_draft_and_shown_again(signed_in, case):
    response = signed_in.post(url("start", case), VALID_ANSWERS | {"ngay_sinh": "31/02/1987", "next": "1"})
    assert response.status_code == 400
    assert "hãy nhập ngày theo dạng ngày/tháng/năm" in response.content.decode()
    draft = ApplicationDraft.objects.get(case=case)
    assert draft.data["ngay_sinh"] == "31/02/1987" and draft.data["ho_ten"] == "Nguyễn Văn An"
    # Coming back later (a new browser, a lost connection): the typed values are there.
    html = signed_in.get(url("start", case)).content.decode()
    assert 'value="31/02/1987"' in html or "31/02/1987" in html
    assert "Số 5 Lê Lợi" in html


def test_save_without_going_on_and_resume_the_same_draft(signed_in, case):
    response = signed_in.post(url("start", case), {"ho_ten": "Nguyễn Văn An", "save": "1"})
    assert response.status_code == 200
    assert "Đã lưu bản nháp" in response.content.decode()
    fill(signed_in, case)
    assert ApplicationDraft.objects.filter(case=case).count() == 1
    assert ApplicationDraft.objects.get().data["so_ban"] == "2"


def test_drafts_belong_to_their_citizen(signed_in, case):
    fill(signed_in, case)
    other = sign_in(Client(), make_citizen("001099000123", "Trần Thị Bình", "0987654321"))
    html = other.get(url("start", case)).content.decode()
    assert "Số 5 Lê Lợi" not in html
    assert ApplicationDraft.objects.filter(case=case).count() == 2


# ---------------------------------------------------------------- the checklist and plain uploads


def test_checklist_explains_each_paper(signed_in, case):
    fill(signed_in, case)
    html = signed_in.get(url("components", case)).content.decode()
    for c in case.components.all():
        assert c.name in html
        if c.description:
            assert c.description.split("\n")[0][:40] in html
    assert html.count("<strong>Bắt buộc</strong>") == len(required_components(case))
    assert "bản chính" in html
    assert 'enctype="multipart/form-data"' in html and 'type="file"' in html  # works with JavaScript off


def test_plain_upload_without_javascript_is_checked_the_same_way(signed_in, case, settings):
    fill(signed_in, case)
    component = required_components(case)[0]
    assert upload_plain(signed_in, case, component, PNG, "anh.png").status_code == 302
    upload = ResumableUpload.objects.get()
    assert upload.complete and upload.content_type == "image/png" and upload.filename == "anh.png"
    response = upload_plain(signed_in, case, component, SVG, "giay-to.pdf")
    assert response.status_code == 415
    assert "không phải PDF, ảnh JPEG hoặc PNG" in response.content.decode()
    settings.MOTCUA_UPLOAD_MAX_BYTES = 1000
    response = upload_plain(signed_in, case, component, PDF)
    assert response.status_code == 413
    assert "vượt quá mức tối đa" in response.content.decode()
    assert ResumableUpload.objects.count() == 1
    html = signed_in.get(url("components", case)).content.decode()
    assert "anh.png" in html and "đã tải lên" in html


def test_delete_an_uploaded_file(signed_in, case, media):
    fill(signed_in, case)
    upload_plain(signed_in, case, required_components(case)[0])
    upload = ResumableUpload.objects.get()
    assert signed_in.post(url("components", case), {"delete": str(upload.pk)}).status_code == 302
    assert not ResumableUpload.objects.exists()
    assert not (media / upload.path).exists()


# ---------------------------------------------------------------- review and submission


def test_review_shows_answers_papers_and_fees(signed_in, case, world):
    ready(signed_in, case)
    response = signed_in.get(url("review", case))
    html = response.content.decode()
    assert "Số 5 Lê Lợi" in html
    for fee in case.fees.all():
        assert fee.name in html
    assert world.centre.name in html
    assert "Tin nhắn SMS" in html


def test_submission_refused_with_every_missing_thing_listed(signed_in, case, world):
    fill(signed_in, case)
    response = review_post(signed_in, case, world)
    assert response.status_code == 400
    html = response.content.decode()
    for c in required_components(case):
        assert f"Còn thiếu “{c.name}”" in html
    assert not Dossier.objects.exists()


def test_review_choices_are_checked(signed_in, case, world):
    ready(signed_in, case)
    response = review_post(signed_in, case, world, phone="", notify=["sms"])
    assert response.status_code == 400
    assert "Hãy nhập số điện thoại để nhận tin SMS" in response.content.decode()
    assert not Dossier.objects.exists()


def test_submit_makes_a_dossier_with_files_attached_and_components_digitised(
    signed_in, case, world, citizen, media, django_capture_on_commit_callbacks
):
    draft = ready(signed_in, case)
    with django_capture_on_commit_callbacks(execute=True):
        response = review_post(signed_in, case, world)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "submitted" and draft.answers["noi_o"] == {"dia_chi": "Số 5 Lê Lợi"}
    dossier = draft.dossier
    assert dossier.channel == Channel.ONLINE and dossier.state == State.SUBMITTED
    assert dossier.applicant_name == citizen.full_name and dossier.personal_id == VALID_PID
    assert dossier.identity_verified and dossier.population_verified
    assert str(dossier.birth_date) == "1987-05-04"
    assert dossier.receiving_agency == world.centre and dossier.competent_agency == world.police
    assert (dossier.notify_sms, dossier.notify_email, dossier.notify_zalo) == (True, True, False)
    assert dossier.return_method == "electronic"
    documents = list(Document.objects.filter(dossier=dossier))
    assert len(documents) == len(required_components(case))
    for d in documents:
        assert d.kind == "component" and d.content_type == "application/pdf"
        assert d.sha256 == hashlib.sha256(PDF).hexdigest()
        assert d.file.read() == PDF
        assert d.component.digitised and d.component.provided
    rows = {r.component_id: r for r in dossier.components.all()}
    national = [c for c in case.components.all() if c.national_data]
    assert all(rows[c.pk].from_national_data for c in national)
    assert list((media / "tus").iterdir()) == []  # the parts are gone once stored on the dossier
    page = signed_in.get(response["Location"])
    html = page.content.decode()
    assert dossier.code in html and f"/tra-cuu/?ma={dossier.code}" in html
    # The officer reads what was typed on the dossier page.
    from django.test import Client

    from motcua.org.roles import Role

    officer = Client()
    officer.force_login(world.user(Role.ONE_STOP_OFFICER))
    desk = officer.get(f"/mot-cua/ho-so/{dossier.code}/").content.decode()
    assert "Tờ khai điện tử người nộp đã điền" in desk
    for shown in ("<dt>Ngày sinh</dt><dd>04/05/1987</dd>", "<dt>Địa chỉ</dt><dd>Số 5 Lê Lợi</dd>",
                  "<dt>Giới tính</dt><dd>Nam</dd>", "<dt>Tôi cam đoan nội dung khai là đúng</dt><dd>Có</dd>"):
        assert shown in desk, shown


def test_double_click_and_resend_give_one_dossier(signed_in, case, world):
    ready(signed_in, case)
    first = review_post(signed_in, case, world)
    second = review_post(signed_in, case, world)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Dossier.objects.count() == 1
    draft = ApplicationDraft.objects.get(case=case)
    again = services.submit(draft.pk, draft.citizen)
    assert again.repeated and again.draft.dossier_id == draft.dossier_id
    assert Dossier.objects.count() == 1
    # After submitting, the case page starts a fresh draft.
    signed_in.get(url("start", case))
    assert ApplicationDraft.objects.filter(case=case, status="draft").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_submits_at_once_give_one_dossier(tworld, tcase, citizen, media):
    client = sign_in(Client(), citizen)
    ready(client, tcase)
    draft = ApplicationDraft.objects.get(case=tcase)
    draft.receiving_agency = tworld.centre
    draft.save()
    connection.close()
    results = []
    errors = run_at_once(2, lambda: results.append(services.submit(draft.pk, citizen)))
    assert errors == []
    assert Dossier.objects.count() == 1
    assert sorted(r.repeated for r in results) == [False, True]
    assert len({r.draft.dossier_id for r in results}) == 1
    assert Document.objects.count() == len(required_components(tcase))


def test_a_number_with_a_huge_exponent_is_refused_by_the_eform():
    form = EForm({"dien_tich": "1E999999999"}, schema=SCHEMA)
    form.is_valid()
    value = form.cleaned_data.get("dien_tich")
    assert value is None or value.adjusted() < 15


def test_the_review_step_refuses_a_phone_no_message_can_reach():
    from motcua.applications.forms import ReviewForm

    form = ReviewForm({"phone": "12345", "return_method": "counter"}, agencies=[])
    assert not form.is_valid() and "10 chữ số" in form.errors["phone"][0]
    form = ReviewForm({"phone": "+84 912.345.678", "return_method": "counter"}, agencies=[])
    form.is_valid()
    assert form.cleaned_data["phone"] == "0912345678"
