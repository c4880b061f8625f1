"""`answer_days` (working days given for a supplement or a verification answer) is declared as what the API
accepts: a JSON number, more than 0 and at most 365. A value the schema allows is accepted; a value it
forbids (a string, 0, a negative, more than 365, a boolean) is a Vietnamese 422 naming the field, and
nothing is written. Before, the schema allowed any string and the API answered 422 for most of them."""

import pytest

from motcua.api.v1 import api as ninja_api
from motcua.dossiers.models import Dossier
from motcua.org.roles import Role

from .conftest import POLICE, assert_refused, counts, dossier_body

ITEMS = [{"name": "Giấy tờ chứng minh chỗ ở hợp pháp", "reason": "Bản sao chưa được chứng thực"}]


@pytest.fixture
def processing(world, api, clock):
    code = api.post("/dossiers", dossier_body()).json()["code"]
    assert api.act(code, "receive").status_code == 200
    clock.set("2026-11-16 09:00")
    assert api.act(code, "forward").status_code == 200
    return code


def test_the_schema_declares_a_number_above_0_and_at_most_365():
    schema = ninja_api.get_openapi_schema()["components"]["schemas"]["TransitionIn"]["properties"]["answer_days"]
    kinds = schema["anyOf"]
    assert {k["type"] for k in kinds} == {"number", "null"}  # no string any more
    [number] = [k for k in kinds if k["type"] == "number"]
    assert number["exclusiveMinimum"] == 0 and number["maximum"] == 365


@pytest.mark.parametrize("days, kept, due", [
    (5, "5", "2026-11-25T10:00:00+07:00"),  # 5 working days from Tue 17/11 10:00, skipping the holiday 24/11
    (0.5, "0.5", "2026-11-17T16:00:00+07:00"),  # half a day, 4 working hours: 10:00–11:30, then 13:30–16:00
    (365, "365", None),
])
def test_a_value_the_schema_allows_is_accepted(world, api_as, processing, clock, days, kept, due):
    clock.set("2026-11-17 10:00")
    response = api_as(Role.SPECIALIST).act(processing, "request_supplement", {"items": ITEMS, "answer_days": days})
    assert response.status_code == 200, response.content.decode()
    [pause] = response.json()["pauses"]
    assert pause["request"]["answer_days"] == kept
    if due:
        assert pause["answer_due_at"] == due


@pytest.mark.parametrize("days, fragment", [
    ("5", "phải là số"),
    ("năm", "phải là số"),
    (True, "phải là số"),
    (0, "phải lớn hơn 0."),
    (-3, "phải lớn hơn 0."),
    (366, "nhỏ hơn hoặc bằng 365"),
    (1e300, "nhỏ hơn hoặc bằng 365"),
])
@pytest.mark.parametrize("action", ["request_supplement", "request_verification"])
def test_a_value_the_schema_forbids_is_a_422_naming_the_field(world, api_as, processing, clock, days, fragment, action):
    body = {"items": ITEMS} if action == "request_supplement" else {"agency": POLICE, "question": "Xác minh nơi cư trú."}
    before = counts()
    response = api_as(Role.SPECIALIST).act(processing, action, body | {"answer_days": days})
    refused = assert_refused(response, 422, "invalid_input", "Số ngày làm việc được dành để trả lời", fragment)
    assert refused["field"] == "answer_days"
    assert counts() == before
    assert Dossier.objects.get(code=processing).pauses.count() == 0
