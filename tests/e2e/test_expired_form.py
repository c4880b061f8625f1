"""A citizen fills the feedback form on a phone, the page's anti-forgery cookie is lost meanwhile (cleared
by the browser, a long pause), and sending gets a Vietnamese page that says nothing was saved and what to
do; following its advice (reload, send again) works."""

from motcua.feedback.models import Feedback

TEXT = "Đề nghị mở thêm quầy tiếp nhận vào buổi trưa để người lao động kịp nộp hồ sơ."


def fill(phone):
    phone.get_by_label("Về quy định, thủ tục hành chính").check()
    phone.get_by_label("Nội dung (việc gì, ở đâu, khi nào)").fill(TEXT)


def test_a_form_sent_after_its_cookie_was_lost_says_what_to_do(tworld, phone, shot):
    phone.goto("/danh-gia/phan-anh/")
    fill(phone)
    phone.context.clear_cookies()
    phone.get_by_role("button", name="Gửi phản ánh, kiến nghị").click()
    page = phone.inner_text("body")
    assert "Trang đã hết hạn" in page and "tải lại trang" in page
    assert "CSRF" not in page and "Forbidden" not in page
    shot(phone, "expired")
    assert not Feedback.objects.exists()
    phone.goto("/danh-gia/phan-anh/")  # what the page says: open the form again and send
    fill(phone)
    phone.get_by_role("button", name="Gửi phản ánh, kiến nghị").click()
    phone.wait_for_selector("strong.code")
    assert Feedback.objects.count() == 1
