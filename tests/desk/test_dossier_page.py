"""The dossier page: one form per allowed action, each calling perform(); refusals in words, nothing changed."""

import pytest

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, State
from motcua.org.models import User
from motcua.org.roles import Role
from motcua.org.services import grant_role
from tests.desk.helpers import PDF, login, text, upload
from tests.factories import at


def page(code):
    return f"/mot-cua/ho-so/{code}/"


def action_url(code, action):
    return f"/mot-cua/ho-so/{code}/thao-tac/{action}/"


def post(client, d, action, **fields):
    return client.post(action_url(d.code, action), {f"{action}-{k}": v for k, v in fields.items()})


def fresh(d):
    return Dossier.objects.get(pk=d.pk)


@pytest.fixture
def submitted(world):
    return world.new_dossier(now=at("2026-11-16 08:55"))


@pytest.fixture
def received(world, submitted):
    services.perform(submitted, "receive", actor=world.user(Role.ONE_STOP_OFFICER), now=at("2026-11-16 09:00"))
    return fresh(submitted)


@pytest.fixture
def processing(world, received):
    services.perform(received, "forward", actor=world.user(Role.ONE_STOP_OFFICER), now=at("2026-11-16 10:00"))
    return fresh(received)


@pytest.fixture
def police_officer(world):
    user = User.objects.create_user("police", last_name="Trần", first_name="Công An")
    grant_role(user=user, role=Role.SPECIALIST, agency=world.police)
    return user


def test_forms_are_the_allowed_actions(client, world, submitted):
    user = login(client, world, Role.ONE_STOP_OFFICER)
    html = client.get(page(submitted.code)).content.decode()
    allowed = {t.action for t in services.allowed_actions(submitted, user)}
    assert allowed == {"receive", "request_completion", "refuse", "withdraw"}
    for action in allowed:
        assert f'id="act-{action}"' in html and action_url(submitted.code, action) in html
    assert 'id="act-forward"' not in html and 'id="act-finish"' not in html


def test_header_timeline_steps_and_notifications(client, world, processing):
    login(client, world, Role.SPECIALIST)
    r = client.get(page(processing.code))
    t = text(r)
    assert processing.code in t and "Đăng ký thường trú" in t and "Nguyễn Văn An" in t
    assert "Hẹn trả 09:00 26/11/2026" in t and "Đang xử lý" in t
    assert "Tiếp nhận hồ sơ (Mẫu 01)" in t and "Chuyển bước xử lý" in t  # the timeline
    assert "11:00 16/11/2026" in t  # step 1 due time
    assert "0912345678" in t  # the SMS queued for the applicant
    assert "– :" not in t  # events without items list none


def test_supplement_items_show_in_the_history_and_requests(client, world, processing):
    items = [{"name": "Tờ khai CT01", "reason": "Chưa có chữ ký của chủ hộ."}]
    services.perform(processing, "request_supplement", actor=world.user(Role.SPECIALIST), data={"items": items},
                     now=at("2026-11-16 14:00"))
    login(client, world, Role.SPECIALIST)
    t = text(client.get(page(processing.code)))
    assert t.count("Tờ khai CT01: Chưa có chữ ký của chủ hộ.") == 2  # in the requests table and in the history


def test_a_whole_life_through_the_page(client, world, submitted, desk_clock, police_officer):
    officer, specialist = world.user(Role.ONE_STOP_OFFICER), world.user(Role.SPECIALIST)
    other_specialist = User.objects.create_user("cv2")
    grant_role(user=other_specialist, role=Role.SPECIALIST, agency=world.committee)

    def step(user, when, action, **fields):
        client.force_login(user)
        desk_clock.set(when)
        r = post(client, submitted, action, **fields)
        assert r.status_code == 302, text(r)[:2000]
        return fresh(submitted)

    assert step(officer, "2026-11-16 09:00", "receive").state == State.RECEIVED
    d = step(officer, "2026-11-16 10:00", "forward", assignee=str(specialist.pk), reason="Chuyển chuyên viên An.")
    assert d.steps.get(order=2).assignee == specialist
    d = step(specialist, "2026-11-17 09:00", "request_supplement", item_0_on="on", item_0_reason="Chưa ký.", answer_days="5")
    assert d.state == State.AWAITING_SUPPLEMENT and d.pauses.get().request["items"][0]["reason"] == "Chưa ký."
    assert step(officer, "2026-11-17 14:00", "supply_supplement", note="Đã ký bổ sung.").state == State.PROCESSING
    d = step(specialist, "2026-11-18 09:00", "request_verification", agency=world.police.identifier_code,
             question="Xác minh chỗ ở hợp pháp.", answer_days="3")
    assert d.state == State.AWAITING_VERIFICATION
    assert step(police_officer, "2026-11-18 15:00", "answer_verification", answer="Đúng sự thật.").state == State.PROCESSING
    assert step(specialist, "2026-11-19 09:00", "request_payment", amount="150000", description="Thuế").state == State.AWAITING_PAYMENT
    assert step(world.user(Role.CLERK), "2026-11-19 10:00", "confirm_payment", payment_channel="counter_cash").state == State.PROCESSING
    step(specialist, "2026-11-19 11:00", "forward")
    step(world.user(Role.HEAD_OF_AGENCY), "2026-11-19 14:00", "forward")
    client.force_login(world.user(Role.CLERK))
    r = client.post(f"/mot-cua/ho-so/{d.code}/tai-len/", {"kind": "result", "file": upload("ket-qua.pdf", PDF)})
    assert r.status_code == 302 and d.documents.filter(kind="result").count() == 1
    d = step(world.user(Role.CLERK), "2026-11-19 15:00", "finish", documents="Thông báo kết quả\nSổ hộ khẩu điện tử")
    assert d.state == State.RESULT_READY
    assert d.events.get(action="finish").data["documents"] == ["Thông báo kết quả", "Sổ hộ khẩu điện tử"]
    d = step(officer, "2026-11-20 09:00", "return_result", method="counter", receiver_name="Nguyễn Văn Bình",
             receiver_kind="authorised", originals_returned="Giấy tờ chứng minh chỗ ở")
    assert d.state == State.RETURNED
    data = d.events.get(action="return_result").data
    assert (data["receiver_name"], data["receiver_kind"], data["originals_returned"]) == (
        "Nguyễn Văn Bình", "authorised", "Giấy tờ chứng minh chỗ ở")


def test_forward_to_someone_without_the_role_is_refused(client, world, processing):
    login(client, world, Role.SPECIALIST)
    head = world.user(Role.HEAD_OF_AGENCY)
    r = post(client, processing, "forward", assignee=str(world.user(Role.CLERK).pk))
    assert r.status_code == 400
    assert fresh(processing).current_step == 2
    r = post(client, processing, "forward", assignee=str(head.pk))
    assert r.status_code == 302 and fresh(processing).steps.get(order=3).assignee == head


def test_wrong_role_is_refused_and_nothing_changes(client, world, submitted):
    login(client, world, Role.SPECIALIST)
    events = submitted.events.count()
    r = post(client, submitted, "receive")
    assert r.status_code == 403 and "không được 'Tiếp nhận hồ sơ (Mẫu 01)'" in text(r)
    d = fresh(submitted)
    assert d.state == State.SUBMITTED and d.events.count() == events


def test_another_units_officer_cannot_see_or_act(client, world, submitted):
    login(client, world, Role.ONE_STOP_OFFICER, other=True)
    assert client.get(page(submitted.code)).status_code == 404
    assert post(client, submitted, "receive").status_code == 404
    assert fresh(submitted).state == State.SUBMITTED


def test_an_action_the_state_does_not_allow_is_a_conflict(client, world, submitted):
    login(client, world, Role.CLERK)
    r = post(client, submitted, "finish")
    assert r.status_code == 409 and "Không thể 'Hoàn thành, có kết quả'" in text(r)
    assert fresh(submitted).state == State.SUBMITTED


@pytest.mark.parametrize(
    ("action", "role", "fields", "message"),
    [
        ("refuse", Role.ONE_STOP_OFFICER, {"reason": ""}, "Cần ghi lý do"),
        ("request_completion", Role.ONE_STOP_OFFICER, {}, "ít nhất một giấy tờ"),
        ("withdraw", Role.ONE_STOP_OFFICER, {"reason": "  "}, "Cần ghi lý do"),
    ],
)
def test_bad_input_on_submitted(client, world, submitted, action, role, fields, message):
    login(client, world, role)
    r = post(client, submitted, action, **fields)
    assert r.status_code == 400 and message in text(r)
    assert fresh(submitted).state == State.SUBMITTED and fresh(submitted).events.count() == 1


@pytest.mark.parametrize(
    ("action", "role", "fields", "message"),
    [
        ("request_verification", Role.SPECIALIST, {"agency": "", "question": "x"}, "Hãy chọn cơ quan được đề nghị"),
        ("request_verification", Role.SPECIALIST, {"agency": "001.00.30.H56", "question": ""}, "Cần ghi nội dung cần xác minh"),
        ("request_verification", Role.SPECIALIST, {"agency": "999.99.99.H56", "question": "x"}, "không có trong danh sách"),
        ("request_payment", Role.SPECIALIST, {"amount": "-5"}, "số nguyên dương"),
        ("request_payment", Role.SPECIALIST, {"amount": "mười nghìn"}, "số nguyên dương"),
        ("stop", Role.HEAD_OF_AGENCY, {"reason": ""}, "Cần ghi lý do"),
        ("apologise", Role.HEAD_OF_AGENCY, {"reason": "Chậm", "new_due_at": "31/02/2026"}, "ví dụ 16:00 01/12/2026"),
    ],
)
def test_bad_input_while_processing(client, world, processing, action, role, fields, message):
    login(client, world, role)
    r = post(client, processing, action, **fields)
    assert r.status_code == 400
    assert "hãy sửa các mục được đánh dấu" in text(r) and message in text(r)
    assert fresh(processing).state == State.PROCESSING and fresh(processing).events.count() == 3


def test_return_needs_who_took_it_or_the_tracking_number(client, world, processing):
    d = processing
    services.perform(d, "forward", actor=world.user(Role.SPECIALIST), now=at("2026-11-17 09:00"))
    services.perform(d, "forward", actor=world.user(Role.HEAD_OF_AGENCY), now=at("2026-11-17 10:00"))
    services.perform(d, "finish", actor=world.user(Role.CLERK), now=at("2026-11-17 11:00"))
    login(client, world, Role.ONE_STOP_OFFICER)
    r = post(client, d, "return_result", method="counter")
    assert r.status_code == 400 and "Cần ghi họ tên người nhận" in text(r)
    login(client, world, Role.POSTAL_AGENT)
    r = post(client, d, "return_result", method="post")
    assert r.status_code == 400 and "cần số vận đơn" in text(r)
    assert fresh(d).state == State.RESULT_READY
    r = post(client, d, "return_result", method="post", tracking_number="EMS123456789VN")
    assert r.status_code == 302
    assert (fresh(d).state, fresh(d).post_tracking_number) == (State.RETURNED, "EMS123456789VN")


def test_apology_once_and_at_least_a_working_day_before_due(client, world, processing, desk_clock):
    login(client, world, Role.HEAD_OF_AGENCY)
    desk_clock.set("2026-11-25 10:00")  # due 26/11 09:00: less than one working day left
    r = post(client, processing, "apologise", reason="Chờ ý kiến Công an tỉnh.", new_due_at="16:00 01/12/2026")
    assert r.status_code == 409 and "chậm nhất 01 ngày làm việc trước hạn" in text(r)
    desk_clock.set("2026-11-24 16:00")  # a holiday, yet ≥ 1 working day before the due time
    r = post(client, processing, "apologise", reason="Chờ ý kiến Công an tỉnh.", new_due_at="16:00 01/12/2026")
    assert r.status_code == 302
    d = fresh(processing)
    assert d.apologised_at is not None and d.due_at == at("2026-12-01 16:00")
    r = post(client, d, "apologise", reason="Lần hai", new_due_at="16:00 03/12/2026")
    assert r.status_code in (409, 404) or "act-apologise" not in r.content.decode()
    assert fresh(d).due_at == at("2026-12-01 16:00")


def test_scans_upload_marks_the_component_digitised_and_bad_files_change_nothing(client, world, received):
    login(client, world, Role.ONE_STOP_OFFICER)
    comp = received.components.order_by("pk").first()
    url = f"/mot-cua/ho-so/{received.code}/tai-len/"
    r = client.post(url, {"kind": "component", "component": comp.pk, "file": upload("x.pdf", b"<svg onload=alert(1)>")})
    assert r.status_code == 415 and "không phải PDF" in text(r)
    comp.refresh_from_db()
    assert not comp.digitised and not received.documents.exists()
    r = client.post(url, {"kind": "component", "component": comp.pk})
    assert r.status_code == 400 and "Hãy chọn tệp" in text(r)
    r = client.post(url, {"kind": "component", "component": comp.pk, "file": upload("quet.pdf")})
    assert r.status_code == 302
    comp.refresh_from_db()
    assert comp.digitised
    assert "quet.pdf" in text(client.get(page(received.code)))


def test_result_upload_only_while_processing(client, world, received):
    login(client, world, Role.ONE_STOP_OFFICER)
    r = client.post(f"/mot-cua/ho-so/{received.code}/tai-len/", {"kind": "result", "file": upload("kq.pdf")})
    assert r.status_code == 409 and "Chỉ đính kèm kết quả" in text(r)
    assert not received.documents.exists()


def test_every_transition_of_the_table_has_a_form():
    from motcua.desk.forms import ACTION_FORMS
    from motcua.dossiers import workflow

    assert {t.action for t in workflow.TRANSITIONS} - {"submit"} == set(ACTION_FORMS)


@pytest.mark.parametrize(
    ("action", "fields", "state"),
    [
        ("refuse", {"reason": "Hồ sơ thuộc thẩm quyền UBND phường Hàm Rồng."}, State.REFUSED),
        ("request_completion", {"item_1_on": "on", "item_1_template": "", "item_1_reason": "Thiếu sổ đỏ."},
         State.AWAITING_COMPLETION),
        ("withdraw", {"reason": "Người nộp có đơn xin rút."}, State.WITHDRAWN),
    ],
)
def test_reception_outcomes_for_a_waiting_dossier(client, world, submitted, action, fields, state):
    login(client, world, Role.ONE_STOP_OFFICER)
    r = post(client, submitted, action, **fields)
    assert r.status_code == 302
    d = fresh(submitted)
    assert d.state == state and d.events.last().action == action


def test_completed_dossier_goes_back_to_the_queue_and_stop_needs_a_head(client, world, submitted, desk_clock):
    login(client, world, Role.ONE_STOP_OFFICER)
    post(client, submitted, "request_completion", item_0_on="on", item_0_reason="Chưa ký.")
    desk_clock.set("2026-11-17 09:00")
    assert post(client, submitted, "complete").status_code == 302
    d = fresh(submitted)
    assert d.state == State.SUBMITTED and d.submitted_at == at("2026-11-17 09:00")
    post(client, d, "receive")
    post(client, d, "forward")
    login(client, world, Role.SPECIALIST)
    assert post(client, d, "stop", reason="Không bổ sung.").status_code == 403
    login(client, world, Role.HEAD_OF_AGENCY)
    assert post(client, d, "stop", reason="Quá hạn bổ sung.").status_code == 302
    assert fresh(d).state == State.STOPPED


def test_the_print_buttons_are_the_forms_printing_would_build(client, world, submitted):
    """A case without workflow steps has no hand-overs, so no control slip (Mẫu 05): the desk must not
    offer a button that leads to "không có Phiếu kiểm soát"; it offers exactly what printing builds."""
    from motcua.printing.selectors import applicable_forms

    submitted.case.steps.all().delete()
    services.perform(submitted, "receive", actor=world.user(Role.ONE_STOP_OFFICER), now=at("2026-11-16 09:00"))
    d = fresh(submitted)
    assert not d.steps.exists()
    login(client, world, Role.ONE_STOP_OFFICER)
    html = client.get(page(d.code)).content.decode()
    assert f"/in/ho-so/{d.code}/mau-01.pdf" in html
    assert "mau-05.pdf" not in html and "Mẫu 05" not in html
    assert client.get(f"/in/ho-so/{d.code}/mau-05.pdf").status_code == 404
    assert applicable_forms(d) == ["01"]
