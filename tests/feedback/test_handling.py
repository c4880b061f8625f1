"""Handling feedback (PAKN) through feedback/handling.py: the state table, deadlines, forwarding,
answers sent through the outbox, the citizen's rating and one reopening, publication without personal data.

Calendar: Tue 24/11/2026 is a public holiday; weekends are off.
"""

import pytest

from motcua.feedback import handling, workflow
from motcua.feedback.models import Feedback, HandlingDeadline
from motcua.feedback.services import Contact, FeedbackError, submit_feedback
from motcua.notify.models import OutboxMessage
from motcua.org.roles import Role
from tests.factories import at

S = Feedback.State


def local(moment):
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def new_item(world, *, anonymous=False, simple=False, agency="committee", when="2026-11-20 10:00") -> Feedback:
    contact = Contact() if anonymous else Contact(name="Trần Thị Bình", phone="0912345678", email="binh@vidu.vn")
    code = submit_feedback(
        kind="officer", text="Cán bộ yêu cầu nộp bản sao giấy khai sinh dù đã có trên CSDL.", contact=contact,
        agency=getattr(world, agency) if agency else None, simple=simple, now=at(when),
    )
    return Feedback.objects.get(code=code)


def do(world, item, action, when, role=None, other=False, **data):
    actor = world.user(role, other=other) if role else None
    return handling.perform(item, action, actor=actor, data=data, now=at(when))


def answered(world, item, when="2026-11-25 09:00"):
    do(world, item, "assign", when, Role.HEAD_OF_AGENCY, assignee=world.user(Role.SPECIALIST).pk)
    do(world, item, "draft", when, Role.SPECIALIST, answer="Đơn vị đã kiểm tra và nhắc nhở cán bộ tiếp nhận.")
    do(world, item, "approve", when, Role.HEAD_OF_AGENCY)
    return do(world, item, "answer", when, Role.CLERK)


def test_the_deadline_counts_working_days_and_skips_the_holiday(world):
    assert local(new_item(world).due_at) == "07/12/2026 10:00"  # 10 working days from Fri 20/11
    assert local(new_item(world, simple=True).due_at) == "30/11/2026 10:00"  # 5 working days
    item = new_item(world)
    assert item.events.get().action == "receive" and item.state == S.RECEIVED


def test_a_province_setting_changes_the_deadline_of_its_units(world):
    HandlingDeadline.objects.create(agency=world.province_committee, working_days=15, simple_working_days=3)
    assert local(new_item(world).due_at) == "14/12/2026 10:00"
    assert local(new_item(world, simple=True).due_at) == "26/11/2026 10:00"


def test_the_whole_handling_and_the_answer_reaches_the_sender(world):
    item = new_item(world)
    do(world, item, "assign", "2026-11-23 08:00", Role.HEAD_OF_AGENCY, assignee=world.user(Role.SPECIALIST).pk)
    do(world, item, "draft", "2026-11-23 09:00", Role.SPECIALIST, answer="Bản nháp chưa đạt.")
    item = do(world, item, "send_back", "2026-11-23 10:00", Role.HEAD_OF_AGENCY, reason="Cần nêu rõ biện pháp xử lý.")
    assert item.state == S.ASSIGNED
    do(world, item, "draft", "2026-11-23 11:00", Role.SPECIALIST,
       answer="Đơn vị đã kiểm tra; cán bộ tiếp nhận đã được nhắc nhở và ông/bà không phải nộp bản sao.")
    do(world, item, "approve", "2026-11-23 14:00", Role.HEAD_OF_AGENCY)
    assert not OutboxMessage.objects.exists()  # nothing reaches the citizen before it is sent
    item = do(world, item, "answer", "2026-11-23 15:00", Role.CLERK)
    assert item.state == S.ANSWERED and item.answer.startswith("Đơn vị đã kiểm tra")
    assert (item.first_answer_late, item.answering_agency) == (False, world.committee)
    mail = OutboxMessage.objects.get(channel="email")
    assert mail.recipient == "binh@vidu.vn" and "không phải nộp bản sao" in mail.body
    sms = OutboxMessage.objects.get(channel="sms")
    assert sms.recipient == "0912345678" and sms.body.isascii() and item.code in sms.body
    assert [e.action for e in item.events.order_by("seq")] == [
        "receive", "assign", "draft", "send_back", "draft", "approve", "answer",
    ]


def test_an_anonymous_sender_gets_no_message_but_reads_the_answer_on_the_follow_page(world, client):
    item = answered(world, new_item(world, anonymous=True))
    assert not OutboxMessage.objects.exists()
    page = client.get(f"/danh-gia/phan-anh/{item.code}/").content.decode()
    assert "nhắc nhở cán bộ tiếp nhận" in page


def test_an_answer_after_the_deadline_is_marked_late(world):
    item = answered(world, new_item(world), when="2026-12-07 10:01")
    assert item.first_answer_late is True


def test_forwarding_moves_the_item_and_restarts_its_clock(world):
    item = new_item(world)
    with pytest.raises(FeedbackError) as refused:
        do(world, item, "forward", "2026-11-23 08:00", Role.HEAD_OF_AGENCY, agency=world.other_committee.identifier_code)
    assert refused.value.field == "reason"
    item = do(world, item, "forward", "2026-11-23 08:00", Role.HEAD_OF_AGENCY,
              agency=world.other_committee.identifier_code, reason="Cán bộ thuộc UBND phường Hàm Rồng.")
    assert (item.agency, item.state, local(item.due_at)) == (world.other_committee, S.RECEIVED, "08/12/2026 08:00")
    with pytest.raises(FeedbackError) as foreign:
        do(world, item, "assign", "2026-11-23 09:00", Role.HEAD_OF_AGENCY, assignee=world.user(Role.SPECIALIST).pk)
    assert foreign.value.status == 403  # no longer the first unit's
    do(world, item, "assign", "2026-11-23 09:00", Role.HEAD_OF_AGENCY, other=True,
       assignee=world.user(Role.SPECIALIST, other=True).pk)


def test_items_without_a_unit_are_dispatched_from_the_province(world):
    item = new_item(world, agency=None)
    assert item.agency is None
    with pytest.raises(FeedbackError) as e:  # a commune's head cannot take an unrouted item
        do(world, item, "forward", "2026-11-23 08:00", Role.HEAD_OF_AGENCY, agency="001.00.00.H56", reason="x")
    assert e.value.status == 403
    # The province's one-stop officer (a dispatcher at the top unit) sends it on.
    item = handling.perform(item, "forward", actor=world.user("system"),
                            data={"agency": "001.00.00.H56", "reason": "Đúng thẩm quyền."}, now=at("2026-11-23 08:00"))
    assert item.agency == world.committee


def test_roles_are_checked(world):
    item = new_item(world)
    with pytest.raises(FeedbackError) as e:
        do(world, item, "assign", "2026-11-23 08:00", Role.SPECIALIST, assignee=world.user(Role.SPECIALIST).pk)
    assert e.value.status == 403
    with pytest.raises(FeedbackError) as e:
        do(world, item, "assign", "2026-11-23 08:00", Role.HEAD_OF_AGENCY, assignee=world.user(Role.SPECIALIST, other=True).pk)
    assert e.value.field == "assignee"  # the other commune's specialist cannot handle it here
    do(world, item, "assign", "2026-11-23 08:00", Role.HEAD_OF_AGENCY, assignee=world.user(Role.SPECIALIST).pk)
    with pytest.raises(FeedbackError) as e:
        do(world, item, "draft", "2026-11-23 09:00", Role.CLERK, answer="…")
    assert e.value.status == 403
    do(world, item, "draft", "2026-11-23 09:00", Role.SPECIALIST, answer="Trả lời.")
    with pytest.raises(FeedbackError) as e:
        do(world, item, "approve", "2026-11-23 10:00", Role.SPECIALIST)
    assert e.value.status == 403
    with pytest.raises(FeedbackError) as e:
        do(world, item, "approve", "2026-11-23 10:00", Role.HEAD_OF_AGENCY, other=True)
    assert e.value.status == 403
    assert Feedback.objects.get(pk=item.pk).state == S.DRAFTED  # nothing half-written


ACTION_DATA = {
    "assign": {"assignee": "SPECIALIST"}, "forward": {"agency": "002.00.00.H56", "reason": "Không đúng thẩm quyền."},
    "draft": {"answer": "Trả lời."}, "send_back": {"reason": "Sửa lại."}, "approve": {}, "answer": {}, "close": {},
    "publish": {"public_question": "Có phải nộp bản sao giấy khai sinh không?", "public_answer": "Không phải nộp."},
    "unpublish": {}, "rate": {"rating": "dissatisfied"}, "reopen": {"reason": "Chưa giải quyết triệt để."},
}


@pytest.mark.parametrize("state", list(S.values))
def test_the_state_table_allows_exactly_its_moves(world, state):
    for t in workflow.TRANSITIONS:
        item = new_item(world)
        Feedback.objects.filter(pk=item.pk).update(
            state=state, assignee=world.user(Role.SPECIALIST), draft="Trả lời.",
            rating="dissatisfied" if t.action == "reopen" else "", public=t.action == "unpublish",
        )
        data = dict(ACTION_DATA[t.action])
        if "assignee" in data:
            data["assignee"] = world.user(Role.SPECIALIST).pk
        actor = None if workflow.CITIZEN in t.roles else world.user(Role.HEAD_OF_AGENCY)
        if t.allows(state):
            handling.perform(item, t.action, actor=actor, data=data, now=at("2026-11-23 08:00"))
        else:
            with pytest.raises(FeedbackError) as refused:
                handling.perform(item, t.action, actor=actor, data=data, now=at("2026-11-23 08:00"))
            assert refused.value.status == 409, (t.action, state)
            assert Feedback.objects.get(pk=item.pk).state == state


def test_the_citizen_rates_and_may_reopen_once_when_not_satisfied(world):
    item = answered(world, new_item(world))
    with pytest.raises(FeedbackError) as e:
        handling.perform(item, "reopen", data={"reason": "Chưa thỏa đáng."})
    assert e.value.status == 409  # only after saying "not satisfied"
    item = handling.perform(item, "rate", data={"rating": "dissatisfied"}, now=at("2026-11-26 08:00"))
    assert item.state == S.ANSWERED and item.rating == "dissatisfied"
    with pytest.raises(FeedbackError):
        handling.perform(item, "rate", data={"rating": "satisfied"})
    item = handling.perform(item, "reopen", data={"reason": "Chưa thỏa đáng."}, now=at("2026-11-26 09:00"))
    assert item.state == S.RECEIVED and item.reopened_at is not None and item.rating == ""
    assert local(item.due_at) == "10/12/2026 09:00"
    item = answered(world, item, when="2026-11-27 09:00")
    item = handling.perform(item, "rate", data={"rating": "dissatisfied"}, now=at("2026-11-27 10:00"))
    with pytest.raises(FeedbackError) as again:
        handling.perform(item, "reopen", data={"reason": "Vẫn chưa."})
    assert again.value.status == 409 and "một lần" in again.value.message
    with pytest.raises(FeedbackError) as staff:
        handling.perform(item, "rate", actor=world.user(Role.HEAD_OF_AGENCY), data={"rating": "satisfied"})
    assert staff.value.status == 403


def test_a_satisfied_citizen_closes_the_item(world):
    item = handling.perform(answered(world, new_item(world)), "rate", data={"rating": "satisfied"})
    assert item.state == S.CLOSED and item.closed_at is not None


def test_publication_refuses_personal_data(world):
    item = answered(world, new_item(world))
    for question, problem in [
        ("Bà Trần Thị Bình hỏi về bản sao giấy khai sinh.", "họ tên"),
        ("Gọi lại số 0912345678 giúp tôi.", "số điện thoại"),
        ("Số định danh 038090001234 có dùng được không?", "số định danh"),
        ("Gửi về binh@vidu.vn.", "thư điện tử"),
    ]:
        with pytest.raises(FeedbackError) as e:
            do(world, item, "publish", "2026-11-26 08:00", Role.HEAD_OF_AGENCY,
               public_question=question, public_answer="Không phải nộp.")
        assert problem in e.value.message
    item = do(world, item, "publish", "2026-11-26 08:00", Role.HEAD_OF_AGENCY,
              public_question="Đăng ký thường trú có phải nộp bản sao giấy khai sinh không?",
              public_answer="Không. Cán bộ khai thác thông tin từ Cơ sở dữ liệu quốc gia về dân cư.")
    assert item.public is True


def test_unknown_actions_and_bad_data_are_refused(world):
    item = new_item(world)
    with pytest.raises(FeedbackError) as e:
        handling.perform(item, "delete", actor=world.user(Role.HEAD_OF_AGENCY))
    assert e.value.status == 404
    with pytest.raises(FeedbackError) as e:
        do(world, item, "assign", "2026-11-23 08:00", Role.HEAD_OF_AGENCY, assignee="nobody")
    assert e.value.field == "assignee"
    do(world, item, "assign", "2026-11-23 08:00", Role.HEAD_OF_AGENCY, assignee=world.user(Role.SPECIALIST).pk)
    with pytest.raises(FeedbackError) as e:
        do(world, item, "draft", "2026-11-23 09:00", Role.SPECIALIST, answer="x" * 10_001)
    assert e.value.field == "answer"


def test_the_same_key_sent_twice_moves_the_item_once(world, client):
    """A double click or a form resent after a dropped connection: one move, one event, one message."""
    item = new_item(world)
    head = world.user(Role.HEAD_OF_AGENCY)
    specialist = world.user(Role.SPECIALIST)
    first = handling.perform(item, "assign", actor=head, data={"assignee": specialist.pk}, idempotency_key="k-1",
                             now=at("2026-11-23 08:00"))
    again = handling.perform(item, "assign", actor=head, data={"assignee": specialist.pk}, idempotency_key="k-1",
                             now=at("2026-11-23 08:01"))
    assert again.pk == first.pk and item.events.filter(action="assign").count() == 1
    with pytest.raises(FeedbackError) as reused:
        handling.perform(item, "forward", actor=head, data={"agency": "002.00.00.H56", "reason": "Sai đơn vị."},
                         idempotency_key="k-1", now=at("2026-11-23 08:02"))
    assert reused.value.status == 409


def test_the_desk_form_carries_a_key_and_a_double_post_moves_once(world, client):
    item = new_item(world)
    client.force_login(world.user(Role.HEAD_OF_AGENCY))
    page = client.get(f"/mot-cua/phan-anh/{item.code}/").content.decode()
    import re

    key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', page).group(1)
    body = {"idempotency_key": key, "assign-assignee": world.user(Role.SPECIALIST).pk}
    for _ in range(2):  # the second is answered as done, not as "not allowed in this state"
        response = client.post(f"/mot-cua/phan-anh/{item.code}/thao-tac/assign/", body)
        assert response.status_code == 302
    assert item.events.filter(action="assign").count() == 1
