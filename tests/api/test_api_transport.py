"""What the API refuses about a request before reading its data: a body over the size limit is a JSON 413
(not Django's English HTML 400), a body not declared as JSON is a 415 (not parsed as JSON anyway), both
in Vietnamese, with nothing written, and both declared in the OpenAPI document where they can happen.
A page posted too large gets a Vietnamese page, not Django's English one."""

import json

import pytest

from motcua.api.v1 import api as ninja_api
from motcua.feedback.models import Feedback

from .conftest import assert_refused, counts, dossier_body

FEEDBACK = {"kind": "other", "text": "Bãi gửi xe trước trung tâm thu tiền sai quy định."}


@pytest.fixture
def small_limit(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    return settings


def written():
    return counts(), Feedback.objects.count()


def _send(api, path, raw, content_type):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api.token}"}
    return api.client.generic("POST", f"/api/v1{path}", raw, content_type=content_type, **headers)


@pytest.mark.parametrize("path", ["/dossiers", "/phan-anh", "/dossiers/X/actions/receive"])
def test_a_body_over_the_limit_is_a_json_413_in_vietnamese_and_writes_nothing(world, api, clock, small_limit, path):
    before = written()
    big = json.dumps(dossier_body(summary="x" * 5000) | FEEDBACK | {"reason": "y" * 5000})
    response = api.post(path, raw=big)
    assert response["Content-Type"].startswith("application/json")
    assert_refused(response, 413, "too_large", "quá lớn", "tải tệp")
    assert written() == before


def test_a_body_over_the_limit_is_413_before_the_key_is_even_checked(world, small_limit):
    from django.test import Client

    response = Client().post("/api/v1/phan-anh", "z" * 5000, content_type="application/json")
    assert_refused(response, 413, "too_large")


@pytest.mark.parametrize(
    "content_type, said",
    [
        ("text/plain", "'text/plain'"),
        ("application/x-www-form-urlencoded", "'application/x-www-form-urlencoded'"),
        ("", "thiếu tiêu đề Content-Type"),
        ("application/octet-stream", "'application/octet-stream'"),
    ],
)
@pytest.mark.parametrize("path", ["/dossiers", "/phan-anh"])
def test_a_json_body_sent_as_another_type_is_415_and_writes_nothing(world, api, clock, content_type, said, path):
    before = written()
    body = json.dumps(dossier_body() if path == "/dossiers" else FEEDBACK)
    response = _send(api, path, body, content_type)
    assert_refused(response, 415, "unsupported_media_type", said, "Content-Type: application/json")
    assert written() == before


def test_json_with_a_charset_or_a_json_subtype_is_read(world, api, clock):
    assert _send(api, "/phan-anh", json.dumps(FEEDBACK), "application/json; charset=utf-8").status_code == 201
    assert _send(api, "/phan-anh", json.dumps(FEEDBACK | {"text": FEEDBACK["text"] + "!"}),
                 "application/merge-patch+json").status_code == 201


def test_an_action_without_a_body_needs_no_content_type(world, api, clock):
    code = api.post("/dossiers", dossier_body()).json()["code"]
    response = _send(api, f"/dossiers/{code}/actions/receive", b"", "")
    assert response.status_code == 200, response.content.decode()
    assert response.json()["state"] == "received"


def test_every_operation_that_takes_a_body_declares_413_and_415():
    paths = ninja_api.get_openapi_schema()["paths"]
    with_body = [(p, m, op) for p, ops in paths.items() for m, op in ops.items() if "requestBody" in op]
    assert len(with_body) >= 3
    for path, method, op in with_body:
        assert {"413", "415"} <= {str(s) for s in op["responses"]}, (method, path)
        assert list(op["requestBody"]["content"]) == ["application/json"], (method, path)
    for path, ops in paths.items():
        for method, op in ops.items():
            if method == "post":
                assert "413" in {str(s) for s in op["responses"]}, path


def test_a_page_posted_over_the_limit_gets_a_vietnamese_413_page(world, client, small_limit):
    response = client.post("/danh-gia/phan-anh/", {"kind": "other", "text": "x" * 5000})
    assert response.status_code == 413
    page = response.content.decode()
    assert "quá lớn" in page and 'lang="vi"' in page and "Bad Request" not in page
    assert not Feedback.objects.exists()
