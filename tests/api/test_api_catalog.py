"""The public catalog, the transition table and the API's own description, as an integrator reads them."""

import json

from django.contrib.staticfiles import finders
from django.test import Client

from motcua.catalog.models import Case, WorkflowStep


def _get(path, **params):
    response = Client().get(f"/api/v1{path}", params)
    assert response.status_code == 200, response.content.decode()
    return response.json()


def test_list_of_procedures(world):
    procedures = _get("/procedures")
    assert len(procedures) == 16
    assert [p["code"] for p in procedures] == sorted(p["code"] for p in procedures)
    residence = next(p for p in procedures if p["code"] == "1.004222")
    assert residence == {
        "code": "1.004222",
        "name": "Đăng ký thường trú",
        "field": {"code": "CUTRU", "name": "Đăng ký, quản lý cư trú"},
        "level": "commune",
        "agency_kind": "vertical_agency",
    }


def test_list_filters(world):
    assert {p["field"]["code"] for p in _get("/procedures", field="CUTRU")} == {"CUTRU"}
    assert "1.004222" in [p["code"] for p in _get("/procedures", field="CUTRU")]
    assert [p["code"] for p in _get("/procedures", q="1.004222")] == ["1.004222"]
    assert "1.004222" in [p["code"] for p in _get("/procedures", q="thường trú")]
    assert _get("/procedures", field="KHONGCO") == []


def test_procedure_detail(world):
    p = _get("/procedures/1.004222")
    assert p["name"] == "Đăng ký thường trú"
    assert p["legal_basis"].startswith("Luật Cư trú 2020")
    [version] = p["versions"]
    assert (version["number"], version["effective_from"], version["effective_to"], version["in_force"]) == (
        1,
        "2025-07-01",
        None,
        True,
    )
    [case] = version["cases"]
    assert (case["code"], case["name"]) == ("TH1", "Đăng ký thường trú")
    assert case["time_limit"] == {"unit": "working_day", "value": "7.00", "text": "7 ngày làm việc"}
    assert case["online_time_limit"] is None
    assert case["online_level"] == "partial"
    assert case["result_documents"] == ["Thông báo kết quả giải quyết đăng ký thường trú"]
    assert case["eform_schema"]["required"][:2] == ["ho_ten", "ngay_sinh"]
    assert [(c["order"], c["name"], c["required"]) for c in case["components"]] == [
        (1, "Tờ khai thay đổi thông tin cư trú (mẫu CT01)", True),
        (2, "Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp", True),
        (3, "Giấy tờ chứng minh quan hệ nhân thân với chủ hộ (khi về ở với người thân)", False),
        (4, "Văn bản đồng ý của cha, mẹ hoặc người giám hộ (người chưa thành niên)", False),
    ]
    assert case["components"][2]["national_data"] is True
    assert case["fees"] == [
        {"kind": "le_phi", "name": "Lệ phí đăng ký thường trú", "amount": 20000, "online_amount": 10000, "mode": "prepaid"}
    ]
    assert [(s["order"], s["role"], s["budget_hours"]) for s in case["steps"]] == [
        (1, "one_stop_officer", "2.00"),
        (2, "specialist", "48.00"),
        (3, "head_of_agency", "4.00"),
        (4, "clerk", "1.00"),
        (5, "one_stop_officer", "1.00"),
    ]
    assert case["budget_problem"] is None


def test_no_seed_case_has_a_budget_problem(world):
    for summary in _get("/procedures"):
        for version in _get(f"/procedures/{summary['code']}")["versions"]:
            for case in version["cases"]:
                assert case["steps"], (summary["code"], case["code"])
                assert case["budget_problem"] is None, (summary["code"], case["code"], case["budget_problem"])


def test_budget_problem_is_reported_when_steps_do_not_add_up(world):
    case = Case.objects.get(version__procedure__code="1.004222", code="TH1")
    WorkflowStep.objects.filter(case=case, order=2).update(budget_hours=40)
    [case_out] = _get("/procedures/1.004222")["versions"][0]["cases"]
    assert case_out["budget_problem"]  # 48 h of steps against a 56 h limit
    assert case_out["steps"][1]["budget_hours"] == "40.00"


def test_unknown_procedure(world):
    response = Client().get("/api/v1/procedures/9.999999")
    assert response.status_code == 404
    assert response.json() == {"detail": "Không có thủ tục mã '9.999999'.", "code": "not_found", "field": None}


EXPECTED_WORKFLOW = [
    # action, sources, target, roles, requires, national code
    ("submit", ["draft"], "submitted", ["applicant", "one_stop_officer", "postal_agent"], [], 1),
    ("receive", ["submitted"], "received", ["one_stop_officer", "postal_agent"], [], 2),
    ("request_completion", ["submitted"], "awaiting_completion", ["one_stop_officer", "postal_agent"], ["items"], 5),
    ("complete", ["awaiting_completion"], "submitted", ["applicant", "one_stop_officer", "postal_agent"], [], 1),
    ("refuse", ["awaiting_completion", "submitted"], "refused", ["one_stop_officer", "postal_agent"], ["reason"], 3),
    (
        "forward",
        ["processing", "received"],
        "processing",
        ["clerk", "head_of_agency", "head_of_division", "one_stop_officer", "specialist"],
        [],
        4,
    ),
    (
        "request_supplement",
        ["processing"],
        "awaiting_supplement",
        ["head_of_agency", "head_of_division", "one_stop_officer", "specialist"],
        ["items"],
        5,
    ),
    (
        "supply_supplement",
        ["awaiting_supplement"],
        "processing",
        ["applicant", "one_stop_officer", "postal_agent"],
        [],
        4,
    ),
    (
        "request_verification",
        ["processing"],
        "awaiting_verification",
        ["head_of_agency", "head_of_division", "specialist"],
        ["agency", "question"],
        4,
    ),
    (
        "answer_verification",
        ["awaiting_verification"],
        "processing",
        ["head_of_agency", "head_of_division", "one_stop_officer", "specialist"],
        ["answer"],
        4,
    ),
    (
        "request_payment",
        ["processing"],
        "awaiting_payment",
        ["clerk", "head_of_division", "one_stop_officer", "specialist"],
        ["amount"],
        6,
    ),
    ("confirm_payment", ["awaiting_payment"], "processing", ["clerk", "one_stop_officer"], [], 4),
    (
        "stop",
        ["awaiting_payment", "awaiting_supplement", "awaiting_verification", "processing", "received"],
        "stopped",
        ["head_of_agency", "head_of_division"],
        ["reason"],
        8,
    ),
    (
        "withdraw",
        [
            "awaiting_completion",
            "awaiting_payment",
            "awaiting_supplement",
            "awaiting_verification",
            "processing",
            "received",
            "submitted",
        ],
        "withdrawn",
        ["applicant", "one_stop_officer", "postal_agent"],
        ["reason"],
        7,
    ),
    ("finish", ["processing"], "result_ready", ["clerk", "head_of_agency", "head_of_division"], [], 9),
    ("return_result", ["result_ready"], "returned", ["one_stop_officer", "postal_agent"], ["method"], 10),
    (
        "apologise",
        ["processing", "received"],  # not while paused: the due time is unknown until the pause ends
        None,
        ["head_of_agency", "head_of_division", "one_stop_officer"],
        ["reason", "new_due_at"],
        None,
    ),
]


def test_workflow_lists_every_transition_with_its_national_code(world):
    table = _get("/workflow")
    assert [(t["action"], t["sources"], t["target"], t["roles"], t["requires"], t["national_code"]) for t in table] == [
        tuple(row) for row in EXPECTED_WORKFLOW
    ]
    assert all(t["label"] for t in table)
    assert next(t for t in table if t["action"] == "apologise")["label"] == "Xin lỗi và hẹn lại ngày trả (Mẫu 04)"


def test_openapi_document(world):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["info"]["title"] == "motcua API"
    assert set(schema["paths"]) == {
        "/api/v1/procedures",
        "/api/v1/procedures/{code}",
        "/api/v1/workflow",
        "/api/v1/me",
        "/api/v1/dossiers",
        "/api/v1/dossiers/{code}",
        "/api/v1/dossiers/{code}/actions/{action}",
        "/api/v1/population/{personal_id}",
        "/api/v1/phan-anh",
        "/api/v1/phan-anh/{code}",
    }
    assert set(schema["paths"]["/api/v1/dossiers"]) == {"get", "post"}
    create = schema["paths"]["/api/v1/dossiers"]["post"]
    assert {"200", "201", "400", "401", "403", "404", "409", "422"} <= set(create["responses"])
    assert "Idempotency-Key" in [p["name"] for p in create["parameters"]]
    assert {"DossierIn", "DossierOut", "TransitionIn", "ErrorOut"} <= set(schema["components"]["schemas"])
    assert schema["components"]["schemas"]["DossierIn"]["additionalProperties"] is False


def test_interactive_docs_load_their_assets_locally(world):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert '/static/ninja/swagger-ui-bundle.js"' in html
    assert '/static/ninja/swagger-ui.css"' in html
    assert "/api/v1/openapi.json" in html
    for cdn in ("cdn.jsdelivr", "unpkg.com", "cdnjs", "https://"):
        assert cdn not in html
    # The files it names ship with the project (django-ninja's static folder), found by staticfiles.
    assert finders.find("ninja/swagger-ui-bundle.js")
    assert finders.find("ninja/swagger-ui.css")
