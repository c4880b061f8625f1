"""The feedback (PAKN) desk under /mot-cua/phan-anh/, driven with Django's test client as staff use it:
who sees what, the whole handling through the forms, refusals with their status and nothing written,
and the intake of a complaint made at the counter or by phone.
"""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.feedback import answers
from motcua.feedback.models import AnswerTemplate, Feedback, FeedbackEvent
from motcua.notify.models import OutboxMessage
from motcua.org.roles import Role
from tests.factories import at

from .test_handling import answered, new_item

S = Feedback.State
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def clock(monkeypatch):
    """The desk's clock, fixed: the item was received on Fri 20/11/2026 10:00, due 07/12/2026 10:00."""
    moment = {"now": at("2026-11-23 09:00")}
    monkeypatch.setattr("motcua.feedback.views_desk.current_time", lambda: moment["now"])
    return moment


def as_user(client, world, role, other=False):
    client.force_login(world.user(role, other=other))
    return client


def page_of(item):
    return f"/mot-cua/phan-anh/{item.code}/"


def act(client, item, action, **fields):
    data = {f"{action}-{k}" if k != "op" else k: v for k, v in fields.items()}
    return client.post(f"/mot-cua/phan-anh/{item.code}/thao-tac/{action}/", data)


def history(item):
    return list(FeedbackEvent.objects.filter(feedback=item).order_by("seq").values_list("action", flat=True))


# ---------------------------------------------------------------- who sees what


def test_signed_out_visitors_are_sent_to_sign_in(world, client):
    item = new_item(world)
    for path in ("/mot-cua/phan-anh/", page_of(item), "/mot-cua/phan-anh/tiep-nhan/"):
        response = client.get(path)
        assert response.status_code == 302 and "next=" in response["Location"], path


def test_the_unit_sees_its_items_and_another_commune_does_not(world, client, clock):
    item = new_item(world)
    elsewhere = new_item(world, agency="other_committee")
    as_user(client, world, Role.HEAD_OF_AGENCY)
    inbox = client.get("/mot-cua/phan-anh/").content.decode()
    assert item.code in inbox and elsewhere.code not in inbox
    assert "07/12/2026 10:00" in inbox  # the deadline, dd/mm/yyyy HH:MM
    assert client.get(page_of(item)).status_code == 200
    assert client.get(page_of(elsewhere)).status_code == 404
    as_user(client, world, Role.HEAD_OF_AGENCY, other=True)
    assert client.get(page_of(item)).status_code == 404
    assert act(client, item, "assign", assignee=world.user(Role.SPECIALIST).pk).status_code == 404
    assert history(item) == ["receive"]


def test_inbox_puts_the_most_urgent_first_marks_overdue_and_filters_by_state(world, client, clock):
    late = new_item(world, when="2026-11-02 08:00")  # due 16/11/2026: overdue on 23/11
    recent = new_item(world, when="2026-11-20 10:00")
    done = answered(world, new_item(world, when="2026-11-19 10:00"))
    as_user(client, world, Role.SPECIALIST)
    page = client.get("/mot-cua/phan-anh/").content.decode()
    assert page.index(late.code) < page.index(recent.code)
    assert done.code not in page  # finished items are not in the default (open) list
    row = re.search(rf'<tr class="overdue" data-code="{late.code}">', page)
    assert row and "Quá hạn" in page
    assert f'<tr data-code="{recent.code}">' in page
    answered_only = client.get("/mot-cua/phan-anh/?trang-thai=answered").content.decode()
    assert done.code in answered_only and late.code not in answered_only


def test_items_without_a_unit_are_in_the_province_dispatchers_inbox_only(world, client, clock):
    item = new_item(world, agency=None)
    client.force_login(world.user("system"))
    assert item.code in client.get("/mot-cua/phan-anh/").content.decode()
    as_user(client, world, Role.HEAD_OF_AGENCY)
    assert item.code not in client.get("/mot-cua/phan-anh/").content.decode()
    assert client.get(page_of(item)).status_code == 404


def test_the_province_dispatcher_forwards_an_unrouted_item_to_the_right_unit(world, client, clock):
    item = new_item(world, agency=None)
    client.force_login(world.user("system"))
    page = client.get(page_of(item)).content.decode()
    assert "Chưa có đơn vị" in page and 'id="act-forward"' in page and 'id="act-assign"' not in page
    response = act(client, item, "forward", agency=world.committee.pk, reason="Đúng thẩm quyền của UBND phường.")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.agency == world.committee and history(item) == ["receive", "forward"]
    as_user(client, world, Role.HEAD_OF_AGENCY)
    assert item.code in client.get("/mot-cua/phan-anh/").content.decode()


def test_contacts_are_shown_to_staff_and_anonymity_is_said(world, client, clock):
    named = new_item(world)
    anonymous = new_item(world, anonymous=True)
    as_user(client, world, Role.SPECIALIST)
    page = client.get(page_of(named)).content.decode()
    assert "Trần Thị Bình" in page and "0912345678" in page and "binh@vidu.vn" in page
    page = client.get(page_of(anonymous)).content.decode()
    assert "Ẩn danh" in page and "không gửi tin nhắn" in page


def test_the_linked_dossier_opens_on_the_desk_for_staff_who_see_it(world, client, clock):
    from motcua.feedback.services import submit_feedback

    dossier = world.new_dossier()
    code = submit_feedback(kind="regulation", text="Hồ sơ của tôi bị yêu cầu bổ sung hai lần.", dossier_code=dossier.code,
                           agency=world.committee, now=at("2026-11-20 10:00"))
    as_user(client, world, Role.HEAD_OF_AGENCY)
    page = client.get(f"/mot-cua/phan-anh/{code}/").content.decode()
    assert f'href="/mot-cua/ho-so/{dossier.code}/"' in page


# ---------------------------------------------------------------- the whole handling through the pages


def test_the_whole_journey_through_the_pages_reaches_the_sender(world, client, clock):
    answers.default_templates()
    template = AnswerTemplate.objects.get(kind="officer")
    item = new_item(world)
    specialist = world.user(Role.SPECIALIST)

    head = as_user(client, world, Role.HEAD_OF_AGENCY)
    page = head.get(page_of(item)).content.decode()
    assert 'id="act-assign"' in page and 'id="act-forward"' in page and 'id="act-approve"' not in page
    assert re.search(rf'<option value="{specialist.pk}"', page)
    response = act(head, item, "assign", assignee=specialist.pk)
    assert response.status_code == 302 and response["Location"] == page_of(item)

    drafter = as_user(client, world, Role.SPECIALIST)
    filled = act(drafter, item, "draft", op="template", template=template.pk, answer="")
    assert filled.status_code == 200
    text = filled.content.decode()
    assert item.code in text and "Trần Thị Bình" in text and "{ma}" not in text
    assert Feedback.objects.get(pk=item.pk).draft == ""  # choosing a template saves nothing

    answer = answers.fill(template.body, item).replace("[nêu ngắn gọn kết quả kiểm tra]", "cán bộ đã làm sai")
    preview = act(drafter, item, "draft", op="preview", answer=answer)
    assert preview.status_code == 200
    shown = preview.content.decode()
    assert "Thư điện tử gửi binh@vidu.vn" in shown and "Tin nhắn SMS gửi 0912345678" in shown
    assert f"Phan anh {item.code} da duoc tra loi" in shown  # the SMS, without diacritics
    assert "cán bộ đã làm sai" in shown
    assert history(item) == ["receive", "assign"]  # a preview writes nothing

    assert act(drafter, item, "draft", op="save", answer=answer).status_code == 302
    assert act(as_user(client, world, Role.HEAD_OF_AGENCY), item, "approve").status_code == 302
    assert OutboxMessage.objects.count() == 0
    sent = act(as_user(client, world, Role.CLERK), item, "answer")
    assert sent.status_code == 302
    item.refresh_from_db()
    assert item.state == S.ANSWERED and "cán bộ đã làm sai" in item.answer
    mail = OutboxMessage.objects.get(channel="email")
    assert mail.recipient == "binh@vidu.vn" and "cán bộ đã làm sai" in mail.body
    assert OutboxMessage.objects.get(channel="sms").recipient == "0912345678"
    assert history(item) == ["receive", "assign", "draft", "approve", "answer"]
    page = client.get(page_of(item)).content.decode()
    assert "Trả lời đã gửi" in page and "Tin đã gửi người phản ánh" in page

    assert act(as_user(client, world, Role.HEAD_OF_AGENCY), item, "close").status_code == 302
    assert Feedback.objects.get(pk=item.pk).state == S.CLOSED


def test_send_back_needs_a_reason_and_then_returns_the_draft(world, client, clock):
    item = new_item(world)
    head = as_user(client, world, Role.HEAD_OF_AGENCY)
    act(head, item, "assign", assignee=world.user(Role.SPECIALIST).pk)
    act(head, item, "draft", op="save", answer="Một bản trả lời còn thiếu.")
    refused = act(head, item, "send_back", reason="  ")
    assert refused.status_code == 400 and "Hãy nhập lý do trả lại." in refused.content.decode()
    assert Feedback.objects.get(pk=item.pk).state == S.DRAFTED
    assert act(head, item, "send_back", reason="Nêu rõ biện pháp xử lý.").status_code == 302
    assert Feedback.objects.get(pk=item.pk).state == S.ASSIGNED


def test_publishing_shows_the_personal_data_check_and_writes_nothing(world, client, clock):
    item = answered(world, new_item(world))
    head = as_user(client, world, Role.HEAD_OF_AGENCY)
    refused = act(head, item, "publish", public_question="Bà Trần Thị Bình, 0912345678, hỏi về bản sao.",
                  public_answer="Không phải nộp bản sao.")
    assert refused.status_code == 400
    assert "còn thông tin cá nhân" in refused.content.decode() and "số điện thoại" in refused.content.decode()
    assert Feedback.objects.get(pk=item.pk).public is False
    assert act(head, item, "publish", public_question="Có phải nộp bản sao giấy khai sinh không?",
               public_answer="Không phải nộp bản sao khi đã có trên CSDL.").status_code == 302
    assert Feedback.objects.get(pk=item.pk).public is True
    assert 'id="act-unpublish"' in head.get(page_of(item)).content.decode()
    assert act(head, item, "unpublish").status_code == 302
    assert Feedback.objects.get(pk=item.pk).public is False


# ---------------------------------------------------------------- refusals


def test_forward_without_a_reason_is_refused_and_nothing_is_written(world, client, clock):
    item = new_item(world)
    head = as_user(client, world, Role.HEAD_OF_AGENCY)
    response = act(head, item, "forward", agency=world.other_committee.pk, reason="")
    assert response.status_code == 400
    assert "Hãy nhập lý do chuyển." in response.content.decode()
    item.refresh_from_db()
    assert item.agency == world.committee and history(item) == ["receive"]
    ok = act(head, item, "forward", agency=world.other_committee.pk, reason="Cán bộ thuộc UBND phường Hàm Rồng.")
    assert ok.status_code == 302 and ok["Location"] == "/mot-cua/phan-anh/"  # no longer ours to see
    item.refresh_from_db()
    assert item.agency == world.other_committee and history(item) == ["receive", "forward"]


def test_the_wrong_role_is_refused_with_403_and_nothing_is_written(world, client, clock):
    item = new_item(world)
    specialist = as_user(client, world, Role.SPECIALIST)
    response = act(specialist, item, "assign", assignee=world.user(Role.SPECIALIST).pk)
    assert response.status_code == 403 and "Bạn không có quyền “Giao xử lý”" in response.content.decode()
    response = act(specialist, item, "forward", agency=world.other_committee.pk, reason="")
    assert response.status_code == 403  # the role is checked before the form
    # A specialist not given the item may not draft it, not even preview.
    assert act(specialist, item, "draft", op="preview", answer="Trả lời").status_code == 409  # not assigned yet
    assert history(item) == ["receive"]


def test_an_action_out_of_its_state_is_a_conflict(world, client, clock):
    item = new_item(world)
    response = act(as_user(client, world, Role.HEAD_OF_AGENCY), item, "approve")
    assert response.status_code == 409 and "Đã tiếp nhận" in response.content.decode()
    assert act(client, item, "no_such_action").status_code == 404
    assert history(item) == ["receive"]


def test_assigning_someone_who_cannot_handle_it_is_refused(world, client, clock):
    item = new_item(world)
    head = as_user(client, world, Role.HEAD_OF_AGENCY)
    response = act(head, item, "assign", assignee=world.user(Role.SPECIALIST, other=True).pk)
    assert response.status_code == 400 and "không xử lý được phản ánh ở đơn vị này" in response.content.decode()
    assert history(item) == ["receive"]


def test_posts_need_the_csrf_token(world, clock):
    from django.test import Client

    item = new_item(world)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.user(Role.HEAD_OF_AGENCY))
    assert act(strict, item, "assign", assignee=world.user(Role.SPECIALIST).pk).status_code == 403
    assert history(item) == ["receive"]
    page = strict.get(page_of(item)).content.decode()
    assert page.count('name="csrfmiddlewaretoken"') >= 2


# ---------------------------------------------------------------- intake at the counter or by phone


def intake_form(**changes):
    data = {"source": "phone", "kind": "regulation", "text": "Người dân gọi hỏi vì sao phải nộp bản sao sổ hộ khẩu.",
            "dossier_code": "", "procedure": "", "contact_name": "Lê Văn Cường", "contact_phone": "0987654321"}
    return data | changes


def test_an_officer_records_a_phone_complaint_and_gets_the_code(world, client, clock):
    officer = as_user(client, world, Role.ONE_STOP_OFFICER)
    form = officer.get("/mot-cua/phan-anh/tiep-nhan/").content.decode()
    assert f'<option value="{world.centre.pk}" selected' in form  # the officer's own unit by default
    response = officer.post("/mot-cua/phan-anh/tiep-nhan/", intake_form(agency=world.centre.pk))
    assert response.status_code == 302
    item = Feedback.objects.get()
    assert (item.source, item.agency, item.contact_phone) == ("phone", world.centre, "0987654321")
    receive = item.events.get()
    assert receive.actor == world.user(Role.ONE_STOP_OFFICER)
    done = officer.get(response["Location"]).content.decode()
    assert item.code in done and f"/danh-gia/phan-anh/{item.code}/" in done


def test_an_anonymous_complaint_at_the_counter_with_an_attachment(world, client, clock):
    officer = as_user(client, world, Role.ONE_STOP_OFFICER)
    data = intake_form(source="counter", kind="officer", anonymous="on", agency=world.committee.pk)
    data["attachment"] = SimpleUploadedFile("don.pdf", PDF, content_type="application/pdf")
    response = officer.post("/mot-cua/phan-anh/tiep-nhan/", data)
    assert response.status_code == 302
    item = Feedback.objects.get()
    assert item.anonymous and item.source == "counter" and item.contact_phone == ""
    done = officer.get(response["Location"]).content.decode()
    assert item.code in done and "không gửi tin nhắn" in done
    head = as_user(client, world, Role.HEAD_OF_AGENCY)
    page = head.get(page_of(item)).content.decode()
    link = re.search(r'href="(/mot-cua/phan-anh/[^"]+/tep/\d+/)"', page).group(1)
    download = head.get(link)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert as_user(client, world, Role.HEAD_OF_AGENCY, other=True).get(link).status_code == 404


def test_intake_refuses_bad_input_and_writes_nothing(world, client, clock):
    officer = as_user(client, world, Role.ONE_STOP_OFFICER)
    short = officer.post("/mot-cua/phan-anh/tiep-nhan/", intake_form(text="ngắn"))
    assert short.status_code == 400 and "ít nhất 10 ký tự" in short.content.decode()
    phone = officer.post("/mot-cua/phan-anh/tiep-nhan/", intake_form(contact_phone="12345"))
    assert phone.status_code == 400 and "Số điện thoại “12345” không đúng" in phone.content.decode()
    kind = officer.post("/mot-cua/phan-anh/tiep-nhan/", intake_form(kind="gossip"))
    assert kind.status_code == 400 and "Hãy chọn nội dung phản ánh" in kind.content.decode()
    assert not Feedback.objects.exists()


def test_intake_needs_a_staff_role(world, client, clock):
    client.force_login(world.user(Role.SUPERVISOR))
    assert client.get("/mot-cua/phan-anh/tiep-nhan/").status_code == 403
    assert client.post("/mot-cua/phan-anh/tiep-nhan/", intake_form()).status_code == 403
    assert not Feedback.objects.exists()
