"""Bad input gets a 4xx with a Vietnamese message that says what to fix, and nothing is written."""

import pytest

from motcua.dossiers.models import Dossier
from motcua.org.roles import Role

from .conftest import assert_refused, counts, dossier_body


@pytest.fixture
def received(world, api, clock):
    """A dossier received on Monday 16/11/2026 08:00 (due Thursday 26/11 08:00)."""
    code = api.post("/dossiers", dossier_body()).json()["code"]
    assert api.act(code, "receive").status_code == 200
    return code


@pytest.fixture
def processing(api, received, clock):
    clock.set("2026-11-16 09:00")
    assert api.act(received, "forward").status_code == 200
    return received


# ---------------------------------------------------------------- creating a dossier


@pytest.mark.parametrize(
    "changes, status, code, field, fragments",
    [
        ({"procedure": "9.999999"}, 400, "unknown_procedure", "procedure", ["9.999999", "/api/v1/procedures"]),
        (
            {"applicant": {"personal_id": "03808704202"}},
            400,
            "invalid_identifier",
            "applicant",
            ["12 chữ số"],
        ),
        (
            {"applicant": {"personal_id": "999087042028"}},
            400,
            "invalid_identifier",
            "applicant",
            ["'999'", "mã tỉnh"],
        ),
        (
            # Century digit 2 and year 30: born in 2030.
            {"applicant": {"personal_id": "038230042028", "birth_date": None}},
            400,
            "invalid_identifier",
            "applicant",
            ["2030", "chưa tới"],
        ),
        (
            {"applicant": {"birth_date": "15/03/1990"}},
            400,
            "invalid_identifier",
            "applicant",
            ["1987", "1990"],
        ),
        ({"applicant": {"name": "A" * 201}}, 422, "invalid_input", "applicant.name", ["Họ tên", "200 ký tự"]),
        ({"summary": "A" * 1001}, 422, "invalid_input", "summary", ["Trích yếu", "1000 ký tự"]),
        ({"colour": "đỏ"}, 422, "invalid_input", "colour", ["'colour'", "kiểm tra lại tên trường"]),
        ({"applicant": {"nickname": "An"}}, 422, "invalid_input", "applicant.nickname", ["'nickname'"]),
        ({"channel": 4}, 422, "invalid_input", "channel", ["Kênh nộp", "1, 2 hoặc 3"]),
        ({"channel": "quầy"}, 422, "invalid_input", "channel", ["Kênh nộp", "1, 2 hoặc 3"]),
        ({"applicant": {"birth_date": "31/02/1987"}}, 422, "invalid_input", "applicant.birth_date", ["dd/mm/yyyy"]),
        ({"return_method": "fax"}, 422, "invalid_input", "return_method", ["nhận kết quả", "'post'"]),
        ({"receiving_agency": "999.00.06.H56"}, 400, "unknown_agency", None, ["999.00.06.H56"]),
        ({"version": 7}, 400, "invalid", "version", ["phiên bản 7"]),
        ({"case": "TH9"}, 400, "invalid", "case", ["'TH9'"]),
        ({"competent_agency": "000.00.99.H99"}, 400, "unknown_agency", None, ["cơ quan giải quyết", "000.00.99.H99"]),
        ({"support_agency": "   "}, 400, "unknown_agency", None, ["nơi hỗ trợ"]),
    ],
    ids=[
        "unknown-procedure",
        "id-11-digits",
        "id-bad-province",
        "id-born-in-future",
        "id-disagrees-with-birth-date",
        "name-201-chars",
        "summary-1001-chars",
        "extra-field",
        "extra-applicant-field",
        "channel-4",
        "channel-text",
        "birth-date-31-feb",
        "return-method",
        "unknown-agency",
        "unknown-version",
        "unknown-case",
        "unknown-competent-agency",
        "blank-support-agency",
    ],
)
def test_create_refused_and_nothing_written(world, api, clock, changes, status, code, field, fragments):
    before = counts()
    body = assert_refused(api.post("/dossiers", dossier_body(**changes), key="k-bad"), status, code, *fragments)
    assert body["field"] == field
    assert counts() == before


def test_missing_required_field_is_named(world, api, clock):
    body = dossier_body()
    del body["receiving_agency"]
    refused = assert_refused(api.post("/dossiers", body), 422, "invalid_input", "Thiếu đơn vị tiếp nhận")
    assert refused["field"] == "receiving_agency"
    assert refused["errors"][0]["type"] == "missing"  # the full list for programs
    assert counts() == (0, 0, 0)


def test_birth_date_is_accepted_as_dd_mm_yyyy_or_iso(world, api, clock):
    first = api.post("/dossiers", dossier_body(applicant={"birth_date": "15/03/1987"}))
    second = api.post("/dossiers", dossier_body(applicant={"birth_date": "1987-03-15"}))
    assert (first.status_code, second.status_code) == (201, 201)
    assert {d.birth_date.isoformat() for d in Dossier.objects.all()} == {"1987-03-15"}


@pytest.mark.parametrize("raw", ['{"procedure": "1.004222", ', "procedure=1.004222", "\udcff"], ids=["cut", "form", "bytes"])
def test_malformed_json_is_answered_in_vietnamese(world, api, clock, raw):
    before = counts()
    data = raw.encode("utf-8", "surrogateescape") if raw == "\udcff" else raw
    assert_refused(api.post("/dossiers", raw=data), 400, "malformed_json", "JSON hợp lệ")
    assert counts() == before


def test_a_json_array_instead_of_an_object(world, api, clock):
    assert_refused(api.post("/dossiers", raw="[1, 2]"), 422, "invalid_input", "đối tượng JSON")
    assert counts() == (0, 0, 0)


def test_bad_list_parameters(world, api):
    body = assert_refused(api.get("/dossiers", limit=0), 422, "invalid_input", "lớn hơn hoặc bằng 1")
    assert body["field"] == "limit"
    assert_refused(api.get("/dossiers", limit=501), 422, "invalid_input", "nhỏ hơn hoặc bằng 500")


# ---------------------------------------------------------------- actions


def test_illegal_transition_is_a_conflict(world, api, clock):
    code = api.post("/dossiers", dossier_body()).json()["code"]
    before = counts()
    assert_refused(api.act(code, "finish"), 409, "transition_not_allowed", "Hoàn thành", "Mới đăng ký, chờ tiếp nhận")
    assert counts() == before
    assert Dossier.objects.get(code=code).state == "submitted"


def test_unknown_action_is_not_found_and_lists_the_actions(world, api, received):
    before = counts()
    assert_refused(api.act(received, "approve"), 404, "unknown_action", "'approve'", "forward", "return_result")
    assert counts() == before


def test_unknown_dossier(world, api):
    assert_refused(api.get("/dossiers/001.00.06.H56-261116-9999"), 404, "not_found", "001.00.06.H56-261116-9999")
    assert_refused(api.act("001.00.06.H56-261116-9999", "receive"), 404, "not_found")


def test_action_body_with_an_unknown_field(world, api, received):
    before = counts()
    assert_refused(api.act(received, "forward", {"comment": "x"}), 422, "invalid_input", "'comment'")
    assert counts() == before


def test_action_body_malformed(world, api, received):
    before = counts()
    assert_refused(api.post(f"/dossiers/{received}/actions/forward", raw="{oops"), 400, "malformed_json", "JSON")
    assert counts() == before


@pytest.mark.parametrize(
    "body, status, code, fragments",
    [
        ({}, 400, "missing_field", ["giấy tờ phải bổ sung", "lý do"]),
        ({"items": []}, 400, "missing_field", ["giấy tờ phải bổ sung"]),
        ({"items": [{"name": "Sổ hộ khẩu"}]}, 422, "invalid_input", ["Thiếu lý do cần bổ sung"]),
        ({"items": [{"name": "x" * 401, "reason": "mờ"}]}, 422, "invalid_input", ["Tên giấy tờ cần bổ sung", "400"]),
        ({"items": [{"name": "Sổ", "reason": "mờ"}], "answer_days": 0}, 422, "invalid_input", ["Số ngày làm việc", "lớn hơn 0."]),
    ],
    ids=["no-items", "empty-items", "item-without-reason", "item-name-too-long", "zero-days"],
)
def test_request_supplement_needs_every_item_with_its_reason(world, api, processing, body, status, code, fragments):
    before = counts()
    assert_refused(api.act(processing, "request_supplement", body), status, code, *fragments)
    assert counts() == before
    assert Dossier.objects.get(code=processing).pauses.count() == 0


def test_reason_is_required_to_withdraw(world, api, received):
    before = counts()
    body = assert_refused(api.act(received, "withdraw", {"reason": "   "}), 400, "missing_field", "lý do")
    assert body["field"] == "reason"
    assert counts() == before


def _to_result_ready(api, api_as, clock, code):
    specialist, head, clerk = api_as(Role.SPECIALIST), api_as(Role.HEAD_OF_AGENCY), api_as(Role.CLERK)
    for caller, moment in ((api, "2026-11-16 09:00"), (specialist, "2026-11-17 09:00"), (head, "2026-11-17 10:00")):
        clock.set(moment)
        assert caller.act(code, "forward").status_code == 200
    clock.set("2026-11-17 11:00")
    assert clerk.act(code, "finish").status_code == 200


def test_return_by_post_needs_a_tracking_number(world, api, api_as, clock, received):
    _to_result_ready(api, api_as, clock, received)
    before = counts()
    body = assert_refused(api.act(received, "return_result", {"method": "post"}), 400, "missing_field", "số vận đơn")
    assert body["field"] == "tracking_number"
    assert_refused(api.act(received, "return_result", {}), 400, "invalid", "counter", "post", "electronic")
    assert_refused(api.act(received, "return_result", {"method": "pigeon"}), 422, "invalid_input", "Hình thức trả kết quả")
    assert counts() == before
    assert Dossier.objects.get(code=received).state == "result_ready"


def test_apology_is_allowed_once(world, api, processing, clock):
    clock.set("2026-11-18 09:00")
    first = api.act(processing, "apologise", {"reason": "Chờ xác minh", "new_due_at": "2026-12-01T16:00:00+07:00"})
    assert first.status_code == 200, first.content.decode()
    before = counts()
    second = api.act(processing, "apologise", {"reason": "Lần nữa", "new_due_at": "2026-12-03T16:00:00+07:00"})
    assert_refused(second, 409, "already_rescheduled", "một lần")
    assert counts() == before
    assert Dossier.objects.get(code=processing).rescheduled_due_at.isoformat() == "2026-12-01T09:00:00+00:00"


@pytest.mark.parametrize(
    "body, status, code, fragments",
    [
        ({"reason": "Chậm", "new_due_at": "sớm"}, 422, "invalid_input", ["Ngày hẹn trả mới", "ISO 8601"]),
        ({"reason": "Chậm", "new_due_at": "2026-11-25T16:00:00+07:00"}, 400, "invalid", ["sau ngày hẹn trả hiện tại"]),
        ({"reason": "Chậm", "new_due_at": "2026-12-05T10:00:00+07:00"}, 400, "invalid", ["giờ làm việc"]),
        ({"new_due_at": "2026-12-01T16:00:00+07:00"}, 400, "missing_field", ["lý do"]),
    ],
    ids=["not-a-time", "earlier", "saturday", "no-reason"],
)
def test_apology_with_a_bad_new_date(world, api, processing, clock, body, status, code, fragments):
    clock.set("2026-11-18 09:00")
    before = counts()
    assert_refused(api.act(processing, "apologise", body), status, code, *fragments)
    assert counts() == before
    assert Dossier.objects.get(code=processing).rescheduled_due_at is None


def test_apology_too_late(world, api, processing, clock):
    clock.set("2026-11-25 09:00")  # less than one working day before Thursday 26/11 08:00
    before = counts()
    body = {"reason": "Chậm", "new_due_at": "2026-12-01T16:00:00+07:00"}
    assert_refused(api.act(processing, "apologise", body), 409, "apology_too_late", "01 ngày làm việc", "08:00 26/11/2026")
    assert counts() == before


def test_a_failure_of_ours_is_json_with_an_incident_id_in_the_log(world, api, monkeypatch, caplog):
    from motcua.api.v1 import routes_dossiers

    def broken(user):
        raise RuntimeError("database went away")

    monkeypatch.setattr(routes_dossiers.selectors, "visible_dossiers", broken)
    response = api.get("/dossiers")
    assert response.status_code == 500
    body = response.json()
    assert body["code"] == "server_error"
    incident = body["detail"].split("mã sự cố ")[1].split(")")[0]
    assert len(incident) == 12
    assert "database went away" not in body["detail"]
    [record] = [r for r in caplog.records if incident in r.getMessage()]
    assert record.exc_info[0] is RuntimeError
