"""Feedback (PAKN) from a phone to its rating, each step clicked by the person whose step it is: a citizen
sends feedback on the portal (360 px) and gets its code → the head of the commune assigns it on the desk
→ the specialist drafts the answer → the head approves → the clerk sends it (the citizen's e-mail lands
in the outbox) → the citizen opens the follow page, reads the answer with its date and unit and rates
"Hài lòng" → the head publishes it without personal data → anyone finds it on the public questions and
answers page, typing without accents. axe finds no serious or critical problem on the citizen pages."""

import re

import pytest

from motcua.feedback.models import Feedback
from motcua.notify.models import OutboxMessage
from motcua.org.roles import Role
from tests.e2e.desk_helpers import Office, do_action, main_text, staff
from tests.e2e.portal_helpers import ServerErrors, text

ANSWER = ("Ủy ban nhân dân phường đã kiểm tra: ông/bà không phải nộp bản sao giấy khai sinh khi đăng ký "
          "thường trú; cán bộ tiếp nhận đã được nhắc nhở.")


@pytest.fixture
def axe():
    """conftest's axe check, with axe-core run through the DevTools protocol: the pages' Content-Security-
    Policy (script-src 'self') rightly blocks the inline <script> tag conftest's fixture adds."""
    from tests.e2e.conftest import AXE

    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make install-test` (npm install axe-core into .venv/node).")
    script = AXE.read_text() + "\n;true"

    def check(page) -> list[str]:
        page.evaluate(script)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        return [
            f"{v['id']}: {', '.join(str(n['target']) for n in v['nodes'][:3])}"
            for v in result["violations"] if v.get("impact") in ("serious", "critical")
        ]

    return check


@pytest.fixture
def office(browser, live_server):
    o = Office(browser, live_server.url)
    yield o
    o.close()


def test_feedback_from_a_phone_to_the_answer_and_its_rating(tworld, phone, office, shot, axe):
    errors = ServerErrors(phone)
    head = staff(tworld.user(Role.HEAD_OF_AGENCY), last_name="Phạm Quốc", first_name="Dũng")
    specialist = staff(tworld.user(Role.SPECIALIST), last_name="Lê Văn", first_name="Cường")
    clerk = staff(tworld.user(Role.CLERK), last_name="Đỗ Thị", first_name="Lan")

    # ---- the citizen sends feedback from the portal's menu, on a phone
    phone.goto("/")
    phone.get_by_role("link", name="Phản ánh, kiến nghị", exact=True).click()
    phone.wait_for_url("**/danh-gia/phan-anh/")
    phone.get_by_label("Về hành vi, thái độ của cán bộ, công chức").check()
    phone.get_by_label("Nội dung (việc gì, ở đâu, khi nào)").fill(
        "Ngày 20/11 cán bộ tiếp nhận yêu cầu tôi nộp bản sao giấy khai sinh dù dữ liệu đã có trên hệ thống.")
    phone.get_by_label("Cơ quan, đơn vị liên quan (nếu có)").select_option(label="UBND phường Hạc Thành")
    phone.get_by_label("Họ và tên").fill("Trần Thị Bình")
    phone.get_by_label("Thư điện tử").fill("binh@vidu.vn")
    shot(phone, "feedback-form")
    phone.get_by_role("button", name="Gửi phản ánh, kiến nghị").click()
    phone.wait_for_selector("strong.code")
    code = phone.locator("strong.code").inner_text()
    assert re.fullmatch(r"PAKN-\d{6}-[A-Z0-9]{4}", code)
    shot(phone, "feedback-code")
    phone.get_by_role("link", name="Theo dõi phản ánh, kiến nghị").click()
    phone.wait_for_url(f"**/danh-gia/phan-anh/{code}/")
    waiting = text(phone)
    assert "Đã tiếp nhận" in waiting and "Chưa có câu trả lời" in waiting and "Hạn trả lời:" in waiting
    assert axe(phone) == []

    # ---- the head of the commune assigns it on the desk
    head_page = office.person(head)
    head_page.get_by_role("navigation").get_by_role("link", name="Phản ánh, kiến nghị").click()
    head_page.locator(f'tr[data-code="{code}"]').get_by_role("link", name=code).click()
    head_page.wait_for_url(f"**/mot-cua/phan-anh/{code}/")
    assert "Trần Thị Bình" in main_text(head_page)  # staff see the sender; the public page never does
    do_action(head_page, "Giao xử lý",
              lambda d: d.get_by_label("Cán bộ được giao xử lý").select_option(value=str(specialist.pk)))
    assert "Đã giao xử lý" in main_text(head_page)

    # ---- the specialist drafts the answer
    spec_page = office.person(specialist)
    spec_page.goto(f"/mot-cua/phan-anh/{code}/")
    do_action(spec_page, "Dự thảo trả lời",
              lambda d: d.get_by_label("Nội dung trả lời (người dân sẽ đọc đúng nội dung này)").fill(ANSWER))
    assert "Đã dự thảo trả lời, chờ duyệt" in main_text(spec_page)

    # ---- the head approves, the clerk sends it
    head_page.reload()
    do_action(head_page, "Duyệt trả lời")
    assert "Đã duyệt, chờ gửi trả lời" in main_text(head_page)
    clerk_page = office.person(clerk)
    clerk_page.goto(f"/mot-cua/phan-anh/{code}/")
    do_action(clerk_page, "Gửi trả lời")
    assert "Đã trả lời" in main_text(clerk_page)
    shot(clerk_page, "desk-answered")
    mail = OutboxMessage.objects.get(channel="email", payload__feedback=code)
    assert mail.recipient == "binh@vidu.vn" and "không phải nộp bản sao" in mail.body
    follow_path = re.search(r"/danh-gia/phan-anh/[A-Z0-9-]+/", mail.body).group(0)

    # ---- the citizen follows the link in the e-mail, reads the answer and rates it
    phone.goto(follow_path)
    page_text = text(phone)
    assert ANSWER in page_text and "UBND phường Hạc Thành" in page_text and "trả lời lúc" in page_text
    assert "binh@vidu.vn" not in page_text and "Trần Thị Bình" not in page_text
    assert re.search(r"trả lời lúc \d{2}/\d{2}/\d{4} \d{2}:\d{2}", page_text)
    shot(phone, "answer")
    assert axe(phone) == []
    phone.get_by_label("Hài lòng", exact=True).check()
    phone.get_by_role("button", name="Gửi đánh giá").click()
    phone.wait_for_selector("#rating")
    rated = text(phone)
    assert "Cảm ơn ông/bà đã đánh giá" in rated and "Đã kết thúc" in rated and "Hài lòng với trả lời" in rated
    assert phone.locator("form[action$='/danh-gia/']").count() == 0  # rated once: the form is gone
    shot(phone, "rated")
    item = Feedback.objects.get(code=code)
    assert (item.state, item.rating) == (Feedback.State.CLOSED, Feedback.Rating.SATISFIED)

    # ---- the head publishes it without personal data; anyone finds it typing without accents
    head_page.reload()
    assert "Hài lòng với trả lời" in main_text(head_page)

    def publish(d):
        d.get_by_label("Câu hỏi công khai (bỏ họ tên, số điện thoại, số định danh, thư điện tử)").fill(
            "Đăng ký thường trú có phải nộp bản sao giấy khai sinh không?")
        d.get_by_label("Trả lời công khai").fill(
            "Không phải nộp; thông tin được khai thác từ Cơ sở dữ liệu quốc gia về dân cư.")

    do_action(head_page, "Công khai hỏi đáp", publish)
    assert "Đang công khai trong mục hỏi đáp." in main_text(head_page)
    phone.get_by_role("link", name="Hỏi đáp", exact=True).click()
    phone.wait_for_url("**/danh-gia/hoi-dap/")
    phone.get_by_label("Tìm câu hỏi, câu trả lời").fill("ban sao giay khai sinh")
    phone.get_by_role("button", name="Tìm", exact=True).click()
    phone.wait_for_url("**/danh-gia/hoi-dap/?q=*")
    found = text(phone)
    assert "1 câu hỏi khớp với “ban sao giay khai sinh”" in found
    assert "Đăng ký thường trú có phải nộp bản sao giấy khai sinh không?" in found
    assert "Trần Thị Bình" not in found and "Ngày 20/11 cán bộ tiếp nhận" not in found
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling on the phone
    shot(phone, "questions-and-answers")
    assert axe(phone) == []
    assert errors.seen == []
