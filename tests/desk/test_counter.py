"""Reception at the counter: look-up, preview of the promised time, receive / ask to complete / refuse."""

import hashlib
from datetime import date

import pytest
from django.urls import reverse

from motcua.documents.models import Document
from motcua.dossiers.models import Channel, Dossier, DossierEvent, State
from motcua.integrations.models import ResidentRecord
from motcua.org.roles import Role
from tests.desk.helpers import HTML, PDF, confirm_data, counter_data, login, text, upload
from tests.factories import VALID_PID

URL = "/mot-cua/tiep-nhan/"


@pytest.fixture
def resident(db):
    return ResidentRecord.objects.create(
        personal_id=VALID_PID, full_name="Nguyễn Văn An", birth_date=date(1987, 3, 12), sex="nam",
        address="Số 12 đường Lê Lợi, phường Hạc Thành, tỉnh Thanh Hóa",
    )


def local(moment):
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y")


def test_url_names():
    assert reverse("desk:counter") == URL


def test_look_up_fills_name_birth_date_and_address(client, world, resident, desk_clock):
    login(client, world, Role.ONE_STOP_OFFICER)
    r = client.post(URL, {"op": "lookup", "personal_id": "038 087 042 028", "receiving_agency": world.centre.pk})
    assert r.status_code == 200
    html = r.content.decode()
    assert 'value="Nguyễn Văn An"' in html and 'value="12/03/1987"' in html and "Lê Lợi" in html
    assert "Đã lấy thông tin từ Cơ sở dữ liệu quốc gia về dân cư" in html


def test_a_malformed_number_is_refused_in_words(client, world, desk_clock):
    login(client, world, Role.ONE_STOP_OFFICER)
    r = client.post(URL, {"op": "lookup", "personal_id": "12345"})
    assert r.status_code == 400 and "đúng 12 chữ số" in text(r)
    r = client.post(URL, counter_data(world, world.case(), op="preview", personal_id="999087042028"))
    assert r.status_code == 400 and "không phải mã tỉnh" in text(r)
    assert Dossier.objects.count() == 0


def test_preview_shows_the_promised_time_before_anything_is_written(client, world, desk_clock):
    # 7 working days from Mon 16/11/2026 09:00, skipping the holiday on Tue 24/11 → Thu 26/11 09:00.
    login(client, world, Role.ONE_STOP_OFFICER)
    desk_clock.set("2026-11-16 09:00")
    r = client.post(URL, counter_data(world, world.case(), op="preview"))
    assert r.status_code == 200
    assert "09:00 ngày 26/11/2026" in text(r)
    assert "Chưa đối chiếu" in text(r)  # typed by hand, no look-up
    assert Dossier.objects.count() == 0


def test_preview_late_on_a_friday_matches_what_the_service_promises(client, world, desk_clock):
    # Fri 20/11 16:30: ½ h that day, then 23/11, (24/11 holiday), 25, 26, 27, 30/11, 1/12 (6 × 8 h), and the
    # last 7½ h on 2/12: 07:00–11:30 and 13:30–16:30 → 16:30 on Wed 02/12/2026.
    login(client, world, Role.ONE_STOP_OFFICER)
    desk_clock.set("2026-11-20 16:30")
    r = client.post(URL, counter_data(world, world.case(), op="preview"))
    assert "16:30 ngày 02/12/2026" in text(r)
    client.post(URL, confirm_data(world, world.case()))
    assert local(Dossier.objects.get().due_at) == "16:30 02/12/2026"


def test_counter_reception_end_to_end(client, world, resident, desk_clock):
    officer = login(client, world, Role.ONE_STOP_OFFICER)
    case = world.case()
    desk_clock.set("2026-11-16 09:00")
    client.post(URL, {"op": "lookup", "personal_id": VALID_PID, "receiving_agency": world.centre.pk})
    ct01 = case.components.order_by("order").first()
    data = confirm_data(world, case, address=resident.address, **{f"scan_{ct01.pk}": upload()})
    r = client.post(URL, data)
    assert r.status_code == 302
    d = Dossier.objects.get()
    assert r.url == reverse("desk:counter-done", kwargs={"code": d.code})
    assert (d.channel, d.state, d.population_verified, d.created_by) == (Channel.DIRECT, State.RECEIVED, True, officer)
    assert local(d.due_at) == "09:00 26/11/2026"
    components = {c.component_id: c for c in d.components.all()}
    assert components[ct01.pk].digitised and components[ct01.pk].provided
    assert not any(c.digitised for pk, c in components.items() if pk != ct01.pk)
    doc = Document.objects.get()
    assert doc.component == components[ct01.pk] and doc.sha256 == hashlib.sha256(PDF).hexdigest()
    assert doc.content_type == "application/pdf" and doc.original_name == "ct01.pdf"
    done = client.get(r.url)
    assert d.code in text(done) and "09:00 ngày 26/11/2026" in text(done)
    assert reverse("printing:dossier-form", kwargs={"code": d.code, "form": "01"}) in done.content.decode()
    assert list(d.events.values_list("action", flat=True)) == ["submit", "receive"]


def test_service_down_the_officer_types_and_the_dossier_is_flagged(client, world, settings, desk_clock):
    settings.MOTCUA_POPULATION_URL = "http://127.0.0.1:9/dan-cu"  # nothing listens there
    login(client, world, Role.ONE_STOP_OFFICER)
    r = client.post(URL, {"op": "lookup", "personal_id": VALID_PID})
    assert r.status_code == 200 and "Không tra cứu được Cơ sở dữ liệu quốc gia về dân cư" in text(r)
    assert client.post(URL, confirm_data(world, world.case())).status_code == 302
    assert Dossier.objects.get().population_verified is False


def test_data_changed_after_look_up_is_not_verified(client, world, resident, desk_clock):
    login(client, world, Role.ONE_STOP_OFFICER)
    client.post(URL, {"op": "lookup", "personal_id": VALID_PID})
    client.post(URL, confirm_data(world, world.case(), applicant_name="Nguyễn Văn Ân"))
    assert Dossier.objects.get().population_verified is False


def test_a_double_post_of_the_confirmation_gives_one_dossier(client, world, desk_clock):
    login(client, world, Role.ONE_STOP_OFFICER)
    first = client.post(URL, confirm_data(world, world.case(), key="abc"))
    second = client.post(URL, confirm_data(world, world.case(), key="abc"))
    assert first.status_code == second.status_code == 302 and first.url == second.url
    d = Dossier.objects.get()
    assert d.events.filter(action="receive").count() == 1
    client.post(URL, confirm_data(world, world.case(), key="another"))
    assert Dossier.objects.count() == 2


def test_postal_agent_receives_by_post(client, world, desk_clock):
    login(client, world, Role.POSTAL_AGENT)
    assert "qua bưu chính công ích" in text(client.get(URL + f"?case={world.case().pk}"))
    assert client.post(URL, confirm_data(world, world.case(), return_method="post")).status_code == 302
    d = Dossier.objects.get()
    assert (d.channel, d.state, d.return_method) == (Channel.POSTAL, State.RECEIVED, "post")


def test_request_completion_lists_every_item_with_a_plain_reason(client, world, desk_clock):
    from motcua.desk.models import ReasonTemplate

    login(client, world, Role.ONE_STOP_OFFICER)
    case = world.case()
    template = ReasonTemplate.objects.get(title="Chưa có ý kiến chủ hộ")
    preview = client.post(URL, counter_data(world, case, op="preview", provided="none"))
    assert "Chưa có ý kiến chủ hộ" in preview.content.decode()  # the procedure's own templates are offered
    data = confirm_data(
        world, case, decision="request_completion", provided="none",
        item_0_on="on", item_0_template=str(template.pk), item_0_reason="",
        item_1_on="on", item_1_reason="Thiếu sổ đỏ hoặc hợp đồng thuê nhà.",
        item_x0_name="Giấy ủy quyền", item_x0_reason="Người nộp thay cần giấy ủy quyền có chứng thực.",
    )
    assert client.post(URL, data).status_code == 302
    d = Dossier.objects.get()
    assert d.state == State.AWAITING_COMPLETION and d.due_at is None
    items = d.events.get(action="request_completion").data["items"]
    names = [c.name for c in case.components.order_by("order")]
    done = client.get(reverse("desk:counter-done", kwargs={"code": d.code})).content.decode()
    assert reverse("printing:dossier-form", kwargs={"code": d.code, "form": "02"}) in done
    assert items == [
        {"name": names[0], "reason": template.text},
        {"name": names[1], "reason": "Thiếu sổ đỏ hoặc hợp đồng thuê nhà."},
        {"name": "Giấy ủy quyền", "reason": "Người nộp thay cần giấy ủy quyền có chứng thực."},
    ]


def test_request_completion_needs_items_and_reasons(client, world, desk_clock):
    login(client, world, Role.ONE_STOP_OFFICER)
    r = client.post(URL, confirm_data(world, world.case(), decision="request_completion"))
    assert r.status_code == 400 and "ít nhất một giấy tờ" in text(r)
    r = client.post(URL, confirm_data(world, world.case(), decision="request_completion", item_0_on="on"))
    assert r.status_code == 400 and "Cần ghi lý do" in text(r)
    assert Dossier.objects.count() == 0


def test_refusal_needs_a_reason(client, world, desk_clock):
    login(client, world, Role.ONE_STOP_OFFICER)
    r = client.post(URL, confirm_data(world, world.case(), decision="refuse"))
    assert r.status_code == 400 and "Cần ghi lý do từ chối" in text(r)
    assert Dossier.objects.count() == 0
    r = client.post(URL, confirm_data(world, world.case(), decision="refuse", refuse_reason="Không thuộc thẩm quyền."))
    d = Dossier.objects.get()
    assert d.state == State.REFUSED and d.events.get(action="refuse").reason == "Không thuộc thẩm quyền."


def test_receiving_an_incomplete_dossier_writes_nothing(client, world, desk_clock):
    login(client, world, Role.ONE_STOP_OFFICER)
    r = client.post(URL, confirm_data(world, world.case(), provided="none"))
    assert r.status_code == 400 and "Hồ sơ còn thiếu" in text(r) and "Mẫu 02" in text(r)
    assert Dossier.objects.count() == 0 and DossierEvent.objects.count() == 0


def test_a_web_page_renamed_pdf_is_refused_and_nothing_is_written(client, world, media, desk_clock):
    login(client, world, Role.ONE_STOP_OFFICER)
    ct01 = world.case().components.order_by("order").first()
    bad = upload("to-khai.pdf", HTML, "application/pdf")
    r = client.post(URL, confirm_data(world, world.case(), **{f"scan_{ct01.pk}": bad}))
    assert r.status_code == 415 and "không phải PDF, ảnh JPEG hoặc PNG" in text(r)
    assert Dossier.objects.count() == 0 and Document.objects.count() == 0
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_a_file_over_the_limit_is_refused(client, world, settings, desk_clock):
    settings.MOTCUA_UPLOAD_MAX_BYTES = 1024
    login(client, world, Role.ONE_STOP_OFFICER)
    ct01 = world.case().components.order_by("order").first()
    big = upload("scan.pdf", PDF + b"0" * 2048)
    r = client.post(URL, confirm_data(world, world.case(), **{f"scan_{ct01.pk}": big}))
    assert r.status_code == 413 and "vượt quá mức tối đa 1 KB cho mỗi tệp" in text(r)
    assert Dossier.objects.count() == 0


def test_only_procedures_of_the_units_level_are_offered(client, world, desk_clock):
    from motcua.catalog.models import Case

    login(client, world, Role.ONE_STOP_OFFICER)
    province_case = Case.objects.filter(version__procedure__level="province").first()
    page = client.get(URL).content.decode()
    assert world.case().version.procedure.name in page and province_case.version.procedure.name not in page
    r = client.post(URL, counter_data(world, province_case, op="preview"))
    assert r.status_code == 400 and Dossier.objects.count() == 0


def test_staff_without_a_reception_role_cannot_use_the_counter(client, world):
    login(client, world, Role.SPECIALIST)
    r = client.get(URL)
    assert r.status_code == 403 and "chưa có vai trò" in text(r)


def test_pages_need_sign_in(client, world):
    r = client.get(URL)
    assert r.status_code == 302 and r.url.startswith("/dang-nhap/")


def test_going_back_from_the_preview_keeps_what_was_typed_and_ticked(client, world, desk_clock):
    login(client, world, Role.ONE_STOP_OFFICER)
    case = world.case()
    required, optional = case.components.filter(required=True).first(), case.components.filter(required=False).first()
    data = counter_data(world, case, op="case", **{f"comp_{optional.pk}_provided": "False"})
    data[f"comp_{required.pk}_provided"] = "True"
    html = client.post(URL, data).content.decode()
    assert 'value="Nguyễn Văn An"' in html
    assert f'name="comp_{required.pk}_provided" id="id_comp_{required.pk}_provided" checked' in html
    assert f'name="comp_{optional.pk}_provided" id="id_comp_{optional.pk}_provided">' in html
