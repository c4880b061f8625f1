"""POST /api/v1/phan-anh and GET /api/v1/phan-anh/{code}: feedback from the national portal, followed
until its answer."""

from motcua.feedback import handling
from motcua.feedback.models import Feedback, FeedbackEvent
from motcua.org.roles import Role

from .conftest import Api, assert_refused


def body(**changes) -> dict:
    return {
        "kind": "regulation",
        "text": "Thủ tục đăng ký thường trú yêu cầu giấy tờ không có trong quy định.",
        "agency": "001.00.00.H56",
        "procedure": "1.004222",
        "contact": {"name": "Phạm Thị Dung", "phone": "+84 912 345 678", "email": "dung@vidu.vn"},
    } | changes


def test_creates_an_item_from_the_api_and_answers_201_with_its_code(world, api, clock):
    response = api.post("/phan-anh", body())
    assert response.status_code == 201, response.content
    out = response.json()
    assert out["code"].startswith("PAKN-261116-") and out["state"] == "received" and out["source"] == "api"
    assert out["due_at"] == "2026-12-01T08:00:00+07:00"  # 10 working days, Tue 24/11 a holiday
    assert out["answer"] is None and "phone" not in str(out)
    item = Feedback.objects.get(code=out["code"])
    assert (item.source, item.agency, item.procedure.code, item.contact_phone) == ("api", world.committee, "1.004222", "0912345678")
    assert item.events.get().actor == world.user("system")


def test_anonymous_feedback_without_a_unit_goes_to_the_province(world, api, clock):
    response = api.post("/phan-anh", {"kind": "other", "text": "Bãi gửi xe trước trung tâm thu tiền sai quy định."})
    assert response.status_code == 201
    item = Feedback.objects.get(code=response.json()["code"])
    assert item.anonymous and item.agency is None and response.json()["anonymous"] is True


def test_bad_kind_or_text_is_a_400_in_vietnamese_and_writes_nothing(world, api, clock):
    assert_refused(api.post("/phan-anh", body(kind="gossip")), 400, "invalid_input", "Hãy chọn nội dung phản ánh")
    assert_refused(api.post("/phan-anh", body(text="   ")), 400, "invalid_input", "ít nhất 10 ký tự")
    assert_refused(api.post("/phan-anh", body(contact={"phone": "123"})), 400, "invalid_input", "Số điện thoại")
    assert_refused(api.post("/phan-anh", body(agency="999.99.99.X00")), 400, "invalid_input", "'999.99.99.X00'")
    assert_refused(api.post("/phan-anh", body(procedure="9.999999")), 400, "invalid_input", "'9.999999'")
    assert_refused(api.post("/phan-anh", body(colour="red")), 422, "invalid_input", "Không có trường 'colour'")
    assert not Feedback.objects.exists() and not FeedbackEvent.objects.exists()


def test_without_a_token_it_is_401(world, clock):
    anonymous = Api(None)
    assert_refused(anonymous.post("/phan-anh", body()), 401, "unauthorized")
    assert anonymous.get("/phan-anh/PAKN-261116-ABCD").status_code == 401
    assert_refused(Api("not-a-token").post("/phan-anh", body()), 401, "unauthorized")
    assert not Feedback.objects.exists()


def test_get_follows_the_item_and_returns_the_answer_once_sent(world, api, clock):
    code = api.post("/phan-anh", body()).json()["code"]
    item = Feedback.objects.get(code=code)
    head, specialist = world.user(Role.HEAD_OF_AGENCY), world.user(Role.SPECIALIST)
    clock.set("2026-11-17 09:00")
    handling.perform(item, "assign", actor=head, data={"assignee": specialist.pk})
    handling.perform(item, "draft", actor=specialist, data={"answer": "Giấy tờ đó không bắt buộc; đơn vị đã chấn chỉnh."})
    handling.perform(item, "approve", actor=head)
    waiting = api.get(f"/phan-anh/{code}").json()
    assert waiting["state"] == "approved" and waiting["answer"] is None  # a draft is not an answer
    clock.set("2026-11-17 10:00")
    handling.perform(item, "answer", actor=world.user(Role.CLERK))
    out = api.get(f"/phan-anh/{code.lower()}").json()
    assert out["state"] == "answered" and out["state_label"] == "Đã trả lời"
    assert out["answer"] == "Giấy tờ đó không bắt buộc; đơn vị đã chấn chỉnh."
    assert out["answered_at"] == "2026-11-17T10:00:00+07:00" and out["answering_agency"] == "UBND phường Hạc Thành"
    assert out["received_at"] == "2026-11-16T08:00:00+07:00"


def test_an_unknown_code_is_404(world, api, clock):
    assert_refused(api.get("/phan-anh/PAKN-261116-ZZZZ"), 404, "not_found", "PAKN-261116-ZZZZ")
    assert_refused(api.get("/phan-anh/khong-phai-ma"), 404, "not_found")


def test_a_repeated_idempotency_key_returns_the_same_item(world, api, clock):
    first = api.post("/phan-anh", body(), key="dvcqg-pakn-0001")
    again = api.post("/phan-anh", body(), key="dvcqg-pakn-0001")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["code"] == again.json()["code"] and Feedback.objects.count() == 1
    assert api.post("/phan-anh", body(), key="dvcqg-pakn-0002").status_code == 201
    assert Feedback.objects.count() == 2
