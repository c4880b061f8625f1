"""Schemathesis against /api/v1/openapi.json, in-process through Django's WSGI handler.

Every operation of the published schema gets generated requests, valid and invalid, sent with the test
world's API token (a system account with one_stop_officer at the province committee), so the operations
behind authentication are reached too. Each answer must not be a server error, must have a status the
operation declares, and must match the body schema declared for that status.

Bounded for CI: a fixed number of examples per operation, derandomized (the same requests every run),
no per-example deadline.
"""

import itertools

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance

from motcua.dossiers import workflow
from tests.factories import VALID_PID

from .conftest import CENTRE, COMMITTEE, Api, assert_refused, counts, dossier_body

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


@pytest.fixture
def bearer(world, known, settings):
    """The world's token, and the test's transaction kept open across requests: a WSGI handler closes the
    database connection at the end of each request (as Django's test client prevents for itself). The
    rate limit is off: it has its own tests, and a 429 would hide what the request would have got."""
    settings.MOTCUA_API_REQUESTS_PER_MINUTE = 0
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {"Authorization": f"Bearer {world.token}"}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def known(world):
    """Codes that exist: generated codes almost never do, so each case is sent a second time with these.
    (Made with Django's test client, before `bearer` keeps the connection open for the WSGI handler.)"""
    api = Api(world.token)
    dossier = api.post("/dossiers", dossier_body())
    feedback = api.post("/phan-anh", {"kind": "regulation", "text": "Thời hạn giải quyết niêm yết chưa rõ ràng."})
    assert dossier.status_code == 201 and feedback.status_code == 201, (dossier.content, feedback.content)
    return {
        "/api/v1/dossiers/{code}": dossier.json()["code"],
        "/api/v1/dossiers/{code}/actions/{action}": dossier.json()["code"],
        "/api/v1/phan-anh/{code}": feedback.json()["code"],
        "/api/v1/procedures/{code}": "1.004222",
        "/api/v1/population/{personal_id}": dossier_body()["applicant"]["personal_id"],
    }


ACTIONS = itertools.cycle(sorted(t.action for t in workflow.TRANSITIONS))


def pointed_at_known_data(case, known) -> bool:
    """Point the case's path and body at existing records, keeping the rest of what was generated."""
    changed = False
    if case.path in known:
        name = "personal_id" if "personal_id" in case.path else "code"
        case.path_parameters[name] = known[case.path]
        if "action" in case.path_parameters:
            case.path_parameters["action"] = next(ACTIONS)
        changed = True
    if case.path == "/api/v1/dossiers" and case.method == "POST" and isinstance(case.body, dict):
        case.body |= {"procedure": "1.004222", "receiving_agency": CENTRE, "competent_agency": COMMITTEE}
        if isinstance(case.body.get("applicant"), dict):
            case.body["applicant"] |= {"personal_id": VALID_PID, "old_id_number": ""}
            case.body["applicant"].pop("birth_date", None)
        changed = True
    return changed


@schema.parametrize()
@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture],
)
def test_api_conforms_to_its_schema(case, bearer, known):
    case.call_and_validate(headers=bearer, checks=CHECKS)
    if pointed_at_known_data(case, known):
        case.call_and_validate(headers=bearer, checks=CHECKS)


# ---- what the run found, kept as plain reproductions


def _declared(method: str, path: str) -> set[int]:
    from motcua.api.v1 import api as ninja_api

    return {int(s) for s in ninja_api.get_openapi_schema()["paths"][path][method]["responses"]}


@pytest.mark.parametrize(
    ("path", "query"),
    [("/procedures", {"q": "0" * 101}), ("/dossiers", {"state": "0" * 31}), ("/dossiers", {"limit": 0})],
)
def test_a_query_out_of_bounds_is_a_declared_422(world, path, query):
    # Found: GET /procedures and GET /dossiers answered 422 without declaring it (only 200 was).
    response = Api(world.token).get(path, **query)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert 422 in _declared("get", f"/api/v1{path}")


def test_operations_behind_a_key_declare_401(world):
    # Found with the same check: /me, /dossiers, /dossiers/{code} and /population answered 401 undeclared.
    response = Api(None).get("/me")
    assert response.status_code == 401
    for path in ("/me", "/dossiers", "/dossiers/{code}", "/population/{personal_id}"):
        assert 401 in _declared("get", f"/api/v1{path}"), path


def test_a_wrong_notify_channel_is_named_in_vietnamese(world):
    # Found in the generated refusals: 'Notify phải là …' (the field had no Vietnamese label).
    response = Api(world.token).post("/dossiers", dossier_body(notify=["fax"]))
    body = assert_refused(response, 422, "invalid_input", "Kênh báo tin cho người nộp phải là")
    assert body["field"] == "notify.0"


def test_a_nul_character_is_refused_before_the_database_sees_it(world):
    # Found on PostgreSQL: GET /procedures?q=%00 was a 500 ("text fields cannot contain NUL").
    api = Api(world.token)
    before = counts()
    for response in (
        api.get("/procedures", q="\x00"),
        api.get("/procedures/1.004222%00"),
        api.get("/dossiers/%00"),
        api.post("/dossiers", raw='{"procedure": "1.004222\\u0000"}'),
        api.post("/phan-anh", {"kind": "other", "text": "Nội dung có ký tự \x00 lạ ở giữa câu."}),
    ):
        assert_refused(response, 400, "invalid", "ký tự NUL")
    assert counts() == before
    # An escaped backslash followed by u0000 is ordinary text, not a NUL.
    assert api.get("/procedures", q="\\u0000").status_code == 200
    assert 400 in _declared("get", "/api/v1/procedures")
