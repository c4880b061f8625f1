"""A form sent without its anti-forgery token (an expired page, cookies turned off, a forged request) gets
a Vietnamese page that says what to do, status 403, and nothing is written; the API answers the same
failure of a signed-in session in its JSON shape, in Vietnamese."""

import json

import pytest
from django.test import Client

from motcua.feedback.models import Feedback
from motcua.org.roles import Role

FEEDBACK = {"kind": "other", "text": "Đề nghị mở thêm quầy tiếp nhận buổi trưa."}


@pytest.fixture
def browser():
    return Client(enforce_csrf_checks=True)


def test_a_form_posted_without_its_token_gets_a_vietnamese_403_and_nothing_is_written(world, browser):
    response = browser.post("/danh-gia/phan-anh/", FEEDBACK)
    assert response.status_code == 403
    page = response.content.decode()
    assert "Trang đã hết hạn" in page
    assert "tải lại trang" in page and "cookie" in page
    assert 'lang="vi"' in page
    for english in ("CSRF verification failed", "Forbidden", "Request aborted"):
        assert english not in page
    assert not Feedback.objects.exists()


def test_the_staff_sign_in_form_without_its_token_gets_the_same_page(world, browser):
    response = browser.post("/dang-nhap/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "Trang đã hết hạn" in response.content.decode()


def test_the_same_form_with_its_token_goes_through(world, browser):
    browser.get("/danh-gia/phan-anh/")  # sets the token cookie
    token = browser.cookies["csrftoken"].value
    response = browser.post("/danh-gia/phan-anh/", FEEDBACK | {"csrfmiddlewaretoken": token})
    assert response.status_code == 201
    assert Feedback.objects.count() == 1


def test_the_api_answers_a_session_without_its_token_in_vietnamese_json(world, browser):
    browser.force_login(world.user(Role.ONE_STOP_OFFICER))
    response = browser.post("/api/v1/phan-anh", json.dumps(FEEDBACK), content_type="application/json")
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "csrf_failed"
    assert "tải lại trang" in body["detail"] and "X-CSRFToken" in body["detail"]
    assert not Feedback.objects.exists()
