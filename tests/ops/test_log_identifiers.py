"""Log masking never mangles an identifier, and still masks what a person typed (issue 18, item 8).

Identifiers are left whole by construction: the request id is a field outside the masked message, the
incident id a user is told to quote is an `Identifier` argument put in after masking, and inside a message
digits touching a letter (a hex id) or joined by "." or "-" to one (a UUID, a dossier code) are part of
an identifier. Phone numbers, personal IDs (well-formed or not), old IDs and e-mail addresses are masked
in ordinary text, in JSON and in URLs, and in the lines the API writes when it fails."""

import json
import logging
import re
import secrets
import unicodedata
import uuid
from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from motcua.ops.logs import Identifier, JsonFormatter, MaskPersonalData, mask
from tests.ops.test_request_logs import json_log  # noqa: F401  (a fixture)

# Where an identifier or a personal number meets log text: a sentence, a path, a query, JSON, a list.
CONTEXTS = [
    "{}",
    "request {} done",
    "GET /api/v1/dossiers/{}/ 200",
    "/tra-cuu/?ma={}&sdt=",
    '{{"id": "{}", "n": 1}}',
    "ids [{}, 42]",
    "incident {}.",
]

HEX_IDS = [
    "b47ecb84da473123456d3554de7d09b8",  # the request id the probe saw cut: 9 decimal digits inside
    "0123456789abcdef0123456789abcdef",
    "a038090001234",
    "038090001234a",
    "3554de7d09b8",
    "123456789ABC",
]


def digits_of(text: str) -> str:
    """The text in NFKC form (fullwidth and superscript digits become ASCII) without separators."""
    return re.sub(r"[ .\-]", "", unicodedata.normalize("NFKC", text))


# ---------------------------------------------------------------- identifiers stay whole


@pytest.mark.parametrize("context", CONTEXTS)
@pytest.mark.parametrize("rid", [*HEX_IDS, str(uuid.UUID(int=123456789012345678901234567890))])
def test_hex_ids_and_uuids_with_long_digit_runs_are_left_whole(rid, context):
    text = context.format(rid)
    assert mask(text) == text


_HEX = "0123456789abcdef"
# Hex ids holding at least one letter: some digits, a letter, some digits (runs of up to 40 digits).
hex_ids = st.tuples(st.text("0123456789", max_size=40), st.sampled_from("abcdefABCDEF"),
                    st.text(_HEX, max_size=40)).map("".join)


@given(rid=st.one_of(st.uuids().map(lambda u: u.hex), st.binary(min_size=3, max_size=32).map(bytes.hex), hex_ids),
       context=st.sampled_from(CONTEXTS))
@example(rid="b47ecb84da473123456d3554de7d09b8", context="{}")
@hypothesis_settings(max_examples=500, deadline=None)
def test_hex_ids_holding_a_letter_are_never_masked(rid, context):
    """uuid4().hex and token_hex ids: whenever one holds a letter (all but about 1 in 3 million uuid4
    hex ids), no masking touches it; one made of decimal digits only is, by its look, a number, and is
    safe only as a field or an Identifier (the tests below)."""
    if not re.search("[a-fA-F]", rid):
        return
    text = context.format(rid)
    assert mask(text) == text


@given(rid=st.uuids(), context=st.sampled_from(CONTEXTS))
@example(rid=uuid.UUID("12345678-1234-4123-8123-123456789012"), context="{}")
@hypothesis_settings(max_examples=300, deadline=None)
def test_uuids_with_their_hyphens_are_never_masked(rid, context):
    text = context.format(rid)
    assert mask(text) == text


def test_a_dossier_code_with_many_digits_is_left_whole():
    for code in ("000.00.06.H56-261116-0001", "001.00.06.H56-261116-123456789", "H56-2611160001"):
        assert mask(f"hồ sơ {code} lúc 16/11/2026 08:00") == f"hồ sơ {code} lúc 16/11/2026 08:00"


def record(msg, *args, exc_info=None) -> logging.LogRecord:
    return logging.LogRecord("motcua.test", logging.ERROR, __file__, 1, msg, args, exc_info)


def through_the_handler(rec: logging.LogRecord) -> dict:
    """What the project's console handler does: the mask filter, then (another handler) the JSON
    formatter."""
    assert MaskPersonalData().filter(rec)
    return json.loads(JsonFormatter().format(rec))


@given(incident=st.one_of(st.text(_HEX, min_size=6, max_size=32), st.from_regex(r"\A0[0-9]{11}\Z")))
@example(incident="038090001234")  # exactly a personal ID's look
@example(incident="123456789012")
@hypothesis_settings(max_examples=300, deadline=None)
def test_an_identifier_argument_is_never_masked_and_the_rest_of_the_line_is(incident):
    rec = record("API failure %s: GET /api/v1/population/%s for %s", Identifier(incident), "038090001234",
                 "an@vidu.vn")
    line = through_the_handler(rec)
    assert line["message"] == (f"API failure {incident}: GET /api/v1/population/038********* for ***@vidu.vn")
    # A second handler (pytest's caplog, a file) sees the same message: masking is not applied twice.
    assert rec.getMessage() == line["message"]
    assert MaskPersonalData().filter(rec) and rec.getMessage() == line["message"]


def test_the_request_id_field_is_never_masked(json_log, client, db):  # noqa: F811
    for rid in ("b47ecb84da473123456d3554de7d09b8", "123456789012", "0912345678"):
        response = client.get("/healthz", headers={"X-Request-ID": rid})
        assert response["X-Request-ID"] == rid
    lines = [r for r in json_log() if r["logger"] == "motcua.request"]
    assert [r["request_id"] for r in lines] == ["b47ecb84da473123456d3554de7d09b8", "123456789012", "0912345678"]


def test_the_status_of_the_access_line_is_never_read_as_part_of_a_number(json_log, client, db):  # noqa: F811
    client.get("/tra-cuu/" + quote("0912 345 678"))
    (line,) = [r for r in json_log() if r["logger"] == "motcua.request"]
    assert line["message"] == "GET /tra-cuu/*******678 404"
    assert line["path"] == "/tra-cuu/*******678"


# ---------------------------------------------------------------- personal data is still masked

PHONES = st.from_regex(r"\A0[35789][0-9]{8}\Z")
PERSONAL_IDS = st.from_regex(r"\A0[0-9]{11}\Z")
OLD_IDS = st.from_regex(r"\A[0-9]{9}\Z")
SEPARATORS_AROUND = [
    "gọi {} nhé",
    '{{"personal_id": "{}"}}',
    '{{"phone":"{}","x":1}}',
    "/tra-cuu/?phone={}",
    "/tra-cuu/?sdt={}&ma=H56-261116-0001",
    "/lien-thong/dan-cu/v1/persons/{}",
    "CCCD: {}.",
    "({})",
]


@given(number=st.one_of(PHONES, PERSONAL_IDS, OLD_IDS), context=st.sampled_from(SEPARATORS_AROUND))
@example(number="001234567890", context='{{"personal_id": "{}"}}')
@example(number="0912345678", context="/tra-cuu/?phone={}")
@hypothesis_settings(max_examples=500, deadline=None)
def test_phones_and_id_numbers_are_masked_in_text_json_and_urls(number, context):
    text = context.format(number)
    masked = mask(text)
    # At most 3 of its digits are left (the province of an ID, the end of a phone number).
    assert number not in masked
    assert sum(c.isdigit() for c in masked) <= 3 + sum(c.isdigit() for c in context)
    # What surrounds the number is left as it was.
    before, after = context.split("{}")
    assert masked.startswith(before.replace("{{", "{")) and masked.endswith(after.replace("}}", "}"))


@pytest.mark.parametrize("text, masked", [
    ('{"personal_id": "001234567890"}', '{"personal_id": "001*********"}'),
    ("/tra-cuu/?phone=0912345678", "/tra-cuu/?phone=*******678"),
    ("/tra-cuu/?phone=%2B84912345678&x=1", "/tra-cuu/?phone=+84******678&x=1"),
    ("/tra-cuu/?email=an@vidu.vn&x=1", "/tra-cuu/?email=***@vidu.vn&x=1"),
    ("/tra-cuu/?email=an.nguyen%40vidu.vn", "/tra-cuu/?email=***%40vidu.vn"),
])
def test_personal_data_in_json_and_urls(text, masked):
    assert mask(text) == masked
    assert mask(masked) == masked


# A personal ID as the probe sent it to the API: of 11 or 13 digits, with spaces, dots or hyphens inside,
# in fullwidth or superscript digits, mixed.
MALFORMED_IDS = [
    "03809000123",
    "0380900012345",
    "38090001234",
    "038 090 001 234",
    "038.090.001.234",
    "038-090-001-234",
    "０３８０９０００１２３４",
    "03809000123⁴",
    "０38090001234",
    "038 0900 01234",
]


@pytest.mark.parametrize("typed", MALFORMED_IDS)
@pytest.mark.parametrize("context", ["{}", "GET /api/v1/population/{} 400", "invalid literal for int(): '{}'",
                                     "input_value='{}', input_type=str"])
def test_a_malformed_personal_id_is_masked_too(typed, context):
    masked = mask(context.format(typed))
    middle = digits_of(typed)[3:-3]
    assert middle not in digits_of(masked)
    assert mask(masked) == masked


# ---------------------------------------------------------------- the API's own lines


def assert_not_written(typed: str, lines: list[dict]) -> None:
    """None of the digits hidden by masking (all but the first or last 3) is in a line's message,
    exception or path."""
    middle = digits_of(typed)[3:-3]
    for line in lines:
        for name in ("message", "exception", "path"):
            assert middle not in digits_of(line.get(name) or ""), (name, line)


def api_get(world, path):
    return Client().get(f"/api/v1{path}", HTTP_AUTHORIZATION=f"Bearer {world.token}")


@pytest.mark.parametrize("incident", ["038090001234", "123456789012", "b47ecb841234", "0912345678ab"])
def test_the_incident_id_in_the_log_is_the_one_the_caller_was_given(world, monkeypatch, caplog, incident):
    """The API failure line as tests/api/test_api_bad_input.py reads it, with incident ids chosen to look
    like personal data (1 in 30 random ones used to come out masked)."""
    from motcua.api.v1 import handlers, routes_dossiers

    def broken(user):
        raise RuntimeError("database went away")

    monkeypatch.setattr(routes_dossiers.selectors, "visible_dossiers", broken)
    monkeypatch.setattr(handlers.secrets, "token_hex", lambda n: incident)
    response = api_get(world, "/dossiers")
    assert response.status_code == 500
    assert f"mã sự cố {incident})" in response.json()["detail"]
    [rec] = [r for r in caplog.records if r.getMessage().startswith("API failure")]
    assert rec.getMessage() == f"API failure {incident}: GET /api/v1/dossiers"
    assert rec.exc_info[0] is RuntimeError


@pytest.mark.parametrize("typed", MALFORMED_IDS)
def test_what_the_user_sent_is_masked_in_the_api_failure_lines(world, monkeypatch, json_log, typed):  # noqa: F811
    """A malformed personal ID sent to the API while the API fails: the failure line (its path and its
    traceback), Django's error line and the access line all have it masked."""
    from motcua.org.models import ApiToken

    def broken(raw):
        raise RuntimeError(f"token store failed on GET /api/v1/population/{typed}")

    incident = "555555555555"  # a personal ID's look, sharing no digits with those sent
    monkeypatch.setattr(ApiToken, "hash", broken)
    monkeypatch.setattr(secrets, "token_hex", lambda n: incident)
    response = api_get(world, "/population/" + quote(typed))
    assert response.status_code == 500
    lines = json_log()
    failure = next(r for r in lines if r["message"].startswith("API failure"))
    assert failure["message"].startswith(f"API failure {incident}: GET /api/v1/population/")
    assert "token store failed" in failure["exception"]
    assert any(r["logger"] == "motcua.request" for r in lines)
    assert_not_written(typed, lines)


@pytest.mark.parametrize("typed", MALFORMED_IDS)
def test_what_the_user_sent_is_masked_when_the_api_refuses_it(world, json_log, typed):  # noqa: F811
    """The same look-up answered normally (refused or not, whatever the check of the ID says): no line
    of the request holds the ID."""
    response = api_get(world, "/population/" + quote(typed))
    assert response.status_code < 500
    lines = json_log()
    assert lines
    assert_not_written(typed, lines)


@pytest.mark.parametrize("text", [
    "1" * 20_000 + "a",
    "1-" * 10_000 + "x",
    "a.b-" * 5_000 + "@",
    "0912 345 678 " * 1_500,
    "\\uff10" * 3_000,
    "a@" + "b." * 10_000 + "@",
    "a@" + "b-" * 10_000 + "@",
])
def test_masking_a_long_line_takes_time_in_proportion_to_its_length(text):
    """A traceback or a path of 20,000 characters is masked in milliseconds: no pattern scans a run
    of characters again from each of its characters (the e-mail pattern used to: seconds per line)."""
    import time

    started = time.perf_counter()
    mask(text)
    assert time.perf_counter() - started < 0.5


# Texts close to what masking reads: digits, separators, "+", "@", escapes, other digits, a dossier code.
_PIECES = st.sampled_from([*"0123456789 .-+@a٣²０_x", "%2B", "%40", "\\uff10", "\\xb2", "H56-", ".vn"])


@given(text=st.lists(_PIECES, max_size=40).map("".join))
@hypothesis_settings(max_examples=2000, deadline=None)
def test_masking_masked_text_changes_nothing(text):
    masked = mask(text)
    assert mask(masked) == masked
