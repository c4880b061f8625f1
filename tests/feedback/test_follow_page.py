"""The follow page of a feedback item (/danh-gia/phan-anh/<code>/) for whoever holds its code: the answer
with its date and unit, rating it (satisfied or not), raising it again once when not satisfied, refusals
as messages with nothing written, the look-up throttle, and never the sender's contacts."""

import re

import pytest

from motcua.feedback.models import Feedback, FeedbackEvent
from motcua.feedback.services import LOOKUP_LIMIT
from tests.feedback.test_handling import answered, new_item

S = Feedback.State


def url(item, action=""):
    return f"/danh-gia/phan-anh/{item.code}/" + {"": "", "rate": "danh-gia/", "reopen": "phan-anh-lai/"}[action]


def page_of(client, item):
    response = client.get(url(item))
    assert response.status_code == 200 and len(response.content) <= 60_000  # light enough for a cheap phone
    return response.content.decode()


def test_the_answer_shows_with_its_date_and_unit_and_never_the_senders_contacts(world, client):
    item = new_item(world)
    before = page_of(client, item)
    assert "Chưa có câu trả lời" in before and "Hạn trả lời:" in before and "07/12/2026 10:00" in before
    assert 'name="rating"' not in before  # nothing to rate yet
    item = answered(world, item, when="2026-11-25 09:00")
    html = page_of(client, item)
    assert "Đơn vị đã kiểm tra và nhắc nhở cán bộ tiếp nhận." in html
    assert "UBND phường Hạc Thành" in html and "trả lời lúc 25/11/2026 09:00" in html
    assert "Đã trả lời" in html and "Hài lòng" in html and "Không hài lòng" in html
    for private in ("Trần Thị Bình", "0912345678", "binh@vidu.vn", "bản sao giấy khai sinh"):
        assert private not in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_satisfied_closes_the_item_and_a_second_rating_is_refused_with_nothing_written(world, client):
    item = answered(world, new_item(world))
    response = client.post(url(item, "rate"), {"rating": "satisfied"}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and "Cảm ơn ông/bà đã đánh giá" in html
    assert "Ông/bà đã đánh giá: “Hài lòng với trả lời”" in html and "Đã kết thúc" in html
    assert 'name="rating"' not in html and 'name="reason"' not in html  # nothing more to do
    item.refresh_from_db()
    assert (item.state, item.rating) == (S.CLOSED, "satisfied")
    events = FeedbackEvent.objects.filter(feedback=item).count()
    again = client.post(url(item, "rate"), {"rating": "dissatisfied"})
    assert again.status_code == 409 and "Không thể “Đánh giá trả lời”" in again.content.decode()
    item.refresh_from_db()
    assert item.rating == "satisfied" and FeedbackEvent.objects.filter(feedback=item).count() == events


@pytest.mark.parametrize("rating", ["", "rat_hai_long", "very_satisfied"])
def test_a_missing_or_unknown_rating_says_what_to_choose(world, client, rating):
    item = answered(world, new_item(world))
    response = client.post(url(item, "rate"), {"rating": rating})
    assert response.status_code == 400
    assert "Hãy chọn: hài lòng hoặc không hài lòng với trả lời." in response.content.decode()
    item.refresh_from_db()
    assert item.rating == "" and item.state == S.ANSWERED


def test_rating_before_the_answer_is_refused(world, client):
    item = new_item(world)
    response = client.post(url(item, "rate"), {"rating": "satisfied"})
    assert response.status_code == 409 and "Đã tiếp nhận" in response.content.decode()
    item.refresh_from_db()
    assert item.rating == ""


def test_not_satisfied_may_be_raised_again_once_and_counts_as_re_raised(world, client):
    item = answered(world, new_item(world))
    html = client.post(url(item, "rate"), {"rating": "dissatisfied"}, follow=True).content.decode()
    assert "phản ánh lại một lần" in html and 'name="reason"' in html and 'name="rating"' not in html
    twice = client.post(url(item, "rate"), {"rating": "satisfied"})
    assert twice.status_code == 409 and "Trả lời này đã được đánh giá." in twice.content.decode()
    empty = client.post(url(item, "reopen"), {"reason": "   "})
    assert empty.status_code == 400 and "Hãy nhập lý do." in empty.content.decode()
    item.refresh_from_db()
    assert item.reopened_at is None
    response = client.post(url(item, "reopen"), {"reason": "Tôi vẫn bị yêu cầu nộp bản sao."}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and "Đã gửi phản ánh lại" in html
    assert "Trả lời trước đây" in html and "Ông/bà đã phản ánh lại lúc" in html and "Hạn trả lời:" in html
    assert "Tôi vẫn bị yêu cầu" not in html
    item.refresh_from_db()
    assert item.state == S.RECEIVED and item.reopened_at is not None

    # Answered again and still not satisfied: the second time is refused, nothing written.
    item = answered(world, item, when="2026-12-01 09:00")
    client.post(url(item, "rate"), {"rating": "dissatisfied"})
    html = page_of(client, item)
    assert 'name="reason"' not in html  # no second reopening offered
    events = FeedbackEvent.objects.filter(feedback=item).count()
    refused = client.post(url(item, "reopen"), {"reason": "Lần nữa."})
    assert refused.status_code == 409 and "chỉ được phản ánh lại một lần" in refused.content.decode()
    item.refresh_from_db()
    assert item.state == S.ANSWERED and FeedbackEvent.objects.filter(feedback=item).count() == events


def test_reopening_needs_a_dissatisfied_rating_first(world, client):
    item = answered(world, new_item(world))
    response = client.post(url(item, "reopen"), {"reason": "Không đồng ý."})
    assert response.status_code == 409 and "không hài lòng" in response.content.decode()
    item.refresh_from_db()
    assert item.reopened_at is None and item.state == S.ANSWERED


def test_the_forms_need_a_csrf_token(world):
    from django.test import Client

    item = answered(world, new_item(world))
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(url(item, "rate"), {"rating": "satisfied"}).status_code == 403
    item.refresh_from_db()
    assert item.rating == ""
    html = strict.get(url(item)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert strict.post(url(item, "rate"), {"rating": "satisfied", "csrfmiddlewaretoken": token}).status_code == 302


def test_posting_to_unknown_codes_counts_towards_the_throttle(world, client):
    item = answered(world, new_item(world))
    for n in range(LOOKUP_LIMIT):
        response = client.post(f"/danh-gia/phan-anh/PAKN-261120-ZZZ{n % 10}/danh-gia/", {"rating": "satisfied"})
        assert response.status_code == 404
    blocked = client.post(url(item, "rate"), {"rating": "satisfied"})
    assert blocked.status_code == 429 and "sai mã quá nhiều lần" in blocked.content.decode()
    item.refresh_from_db()
    assert item.rating == ""
    assert client.get(url(item)).status_code == 429


def test_the_forms_take_only_post(world, client):
    item = answered(world, new_item(world))
    assert client.get(url(item, "rate")).status_code == 405
    assert client.get(url(item, "reopen")).status_code == 405


def test_feedback_follow_page_does_not_reveal_the_dossier_behind_a_typed_code(world, client):
    dossier = world.new_dossier()
    procedure = dossier.procedure_version.procedure
    response = client.post("/danh-gia/phan-anh/", {
        "kind": Feedback.Kind.values[0], "text": "Tôi muốn hỏi về tiến độ hồ sơ này.", "dossier_code": dossier.code,
    })
    assert response.status_code == 201
    code = Feedback.objects.get().code
    follow = client.get(f"/danh-gia/phan-anh/{code}/").content.decode()
    assert procedure.name not in follow
