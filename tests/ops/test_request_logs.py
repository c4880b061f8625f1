"""Every response carries a request id, and every log record of the request carries the same id, as one
JSON line with personal data masked."""

import copy
import io
import json

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils.log import configure_logging
from hypothesis import given
from hypothesis import settings as settings_for_hypothesis
from hypothesis import strategies as st

from motcua.ops.logs import _mask_all, mask


def test_a_response_gets_a_fresh_request_id(client, db):
    first, second = client.get("/healthz"), client.get("/healthz")
    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_a_safe_incoming_request_id_is_echoed(client, db):
    response = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a9c2e-0001"})
    assert response["X-Request-ID"] == "lb-7f3a9c2e-0001"


@pytest.mark.parametrize("bad", ["abc\r\nSet-Cookie: x=1", "a" * 200, "<script>", "", "id with spaces"])
def test_an_unsafe_incoming_request_id_is_replaced(client, db, bad):
    response = client.get("/healthz", headers={"X-Request-ID": bad})
    rid = response["X-Request-ID"]
    assert rid != bad and len(rid) == 32 and rid.isalnum()


@pytest.fixture
def json_log():
    """The project's logging configuration (LOG_FORMAT=json under the tests), writing to a buffer."""
    assert settings.LOG_FORMAT == "json"
    buffer = io.StringIO()
    config = copy.deepcopy(settings.LOGGING)
    config["handlers"]["console"]["stream"] = buffer
    configure_logging(settings.LOGGING_CONFIG, config)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)


@override_settings(ROOT_URLCONF="tests.ops.urls_for_tests")
def test_log_lines_are_json_with_the_request_id_and_no_personal_data(client, world, json_log):
    client.force_login(world.user("one_stop_officer"))
    response = client.get("/ops-test/talk/?phone=0912345678", headers={"X-Request-ID": "req-42"})
    assert response.status_code == 200
    lines = json_log()
    said = next(r for r in lines if r["logger"] == "motcua.test")
    assert said["request_id"] == "req-42"
    assert said["level"] == "WARNING"
    assert said["method"] == "GET" and said["path"] == "/ops-test/talk/"
    assert said["message"] == "looked up citizen 038*********, phone *******678, mail ***@vidu.vn"
    assert said["user_id"] == world.user("one_stop_officer").pk
    access = next(r for r in lines if r["logger"] == "motcua.request")
    assert access["request_id"] == "req-42"
    assert access["status"] == 200 and isinstance(access["duration_ms"], float)
    assert access["user_id"] == world.user("one_stop_officer").pk
    assert access["message"] == "GET /ops-test/talk/ 200"  # the path only: the query string stays out
    raw = "\n".join(json.dumps(r, ensure_ascii=False) for r in lines)
    for secret in ("038090001234", "0912345678", "an@vidu.vn", "Cán bộ"):
        assert secret not in raw


def test_log_lines_outside_a_request_have_no_request_id(json_log):
    import logging

    logging.getLogger("motcua.test").info("worker says %s", "+84912345678")
    (line,) = [r for r in json_log() if r["logger"] == "motcua.test"]
    assert line["request_id"] is None and line["message"] == "worker says +84******678"


def test_an_exception_in_the_log_is_masked_too(json_log):
    import logging

    try:
        raise ValueError("no dossier for 038090001234")
    except ValueError:
        logging.getLogger("motcua.test").exception("failed")
    (line,) = [r for r in json_log() if r["logger"] == "motcua.test"]
    assert "038*********" in line["exception"] and "038090001234" not in line["exception"]


@pytest.mark.parametrize("text, masked", [
    ("CCCD 038090001234.", "CCCD 038*********."),
    ("CMND 172345678", "CMND 172******"),
    ("gọi 0912345678 hoặc 0912 345 678", "gọi *******678 hoặc *******678"),
    ("+84912345678 / 84912345678", "+84******678 / +84******678"),
    ("máy bàn 02373852123", "máy bàn ********123"),
    ("an@vidu.vn, nguyen.van.an+hs@mail.gov.vn", "***@vidu.vn, ***@mail.gov.vn"),
    ("/lien-thong/dan-cu/v1/persons/038090001234", "/lien-thong/dan-cu/v1/persons/038*********"),
    ("hồ sơ 000.00.06.H56-261116-0001 lúc 16/11/2026 08:00", "hồ sơ 000.00.06.H56-261116-0001 lúc 16/11/2026 08:00"),
])
def test_personal_data_is_masked(text, masked):
    assert mask(text) == masked
    assert mask(masked) == masked


def test_djangos_own_records_are_written_once_and_masked(json_log, settings, capsys):
    import logging

    logging.getLogger("django.security.csrf").warning("Forbidden (CSRF cookie not set.): /tra-cuu/?sdt=0912345678")
    lines = [r for r in json_log() if r["logger"] == "django.security.csrf"]
    assert [r["message"] for r in lines] == ["Forbidden (CSRF cookie not set.): /tra-cuu/?sdt=*******678"]
    assert "0912345678" not in capsys.readouterr().err


# Texts close to personal data: digits in runs, the separators a phone number may have, "+", "@".
_NEAR_PERSONAL_DATA = st.text(alphabet="0123456789 .-+@a٣", max_size=40)


@given(text=_NEAR_PERSONAL_DATA)
@settings_for_hypothesis(max_examples=2000, deadline=None)
def test_the_quick_check_skips_only_texts_with_nothing_to_mask(text):
    """mask() leaves a text alone after one scan when it has no "@" and no 9 digits close together;
    that shortcut must never let through what the full set of patterns would have masked."""
    assert mask(text) == _mask_all(text)
