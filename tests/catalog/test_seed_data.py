"""Plain checks on the seed catalogue (no Django, no database).

Run: PYTHONPATH=src .venv/bin/python -m pytest -p no:django tests/catalog/test_seed_data.py -q
"""

import re
import unicodedata
from datetime import date

import pytest

from motcua.catalog import seed_data
from motcua.catalog.eform import schema_problems
from motcua.catalog.seed_data import FIELDS, PROCEDURES, UNVERIFIED

UNITS = {"working_day", "working_hour", "calendar_day", "same_day", "none"}
ROLES = {"one_stop_officer", "specialist", "head_of_division", "head_of_agency", "clerk"}
FEE_KINDS = {"phi", "le_phi"}
FEE_MODES = {"prepaid", "postpaid", "exempt", "none"}
ONLINE_LEVELS = {"full", "partial", "none"}
LEVELS = {"province", "commune"}
AGENCY_KINDS = {
    "province_committee",
    "department",
    "division",
    "provincial_centre",
    "commune_committee",
    "commune_centre",
    "vertical_agency",
}

PROCEDURE_KEYS = {"code", "name", "field", "level", "agency_kind", "legal_basis", "version", "cases"}
CASE_KEYS = {
    "code",
    "name",
    "time_limit",
    "online_time_limit",
    "same_day_cutoff",
    "online_cutoff",
    "online_level",
    "result_documents",
    "components",
    "fees",
    "steps",
    "eform",
}
COMPONENT_KEYS = {
    "name",
    "description",
    "originals",
    "certified_copies",
    "photocopies",
    "national_data",
    "required",
}
FEE_KEYS = {"kind", "name", "amount", "online_amount", "mode"}
STEP_KEYS = {"name", "role", "hours"}

HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
TTHC_CODE = re.compile(r"^\d\.\d{6}$")


def all_cases():
    return [(p, c) for p in PROCEDURES for c in p["cases"]]


def case_id(pc):
    p, c = pc
    return f"{p['code']}-{c['code']}"


CASES = all_cases()


def by_code(code):
    matches = [p for p in PROCEDURES if p["code"] == code]
    assert len(matches) == 1, f"procedure {code} missing or duplicated"
    return matches[0]


def is_int(x):
    return isinstance(x, int) and not isinstance(x, bool)


def is_number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


# --- catalogue-wide ----------------------------------------------------------------------------------


def test_at_least_15_procedures():
    assert len(PROCEDURES) >= 15


def test_procedure_codes_unique_and_well_formed():
    codes = [p["code"] for p in PROCEDURES]
    assert len(codes) == len(set(codes))
    for code in codes:
        assert TTHC_CODE.match(code), code


def test_field_codes_unique_and_used_codes_exist():
    codes = [f["code"] for f in FIELDS]
    assert len(codes) == len(set(codes))
    for f in FIELDS:
        assert set(f) == {"code", "name"} and f["name"].strip() and len(f["code"]) <= 30
    for p in PROCEDURES:
        assert p["field"] in codes, p["code"]


@pytest.mark.parametrize("p", PROCEDURES, ids=lambda p: p["code"])
def test_procedure_shape(p):
    assert set(p) == PROCEDURE_KEYS
    assert p["name"].strip() and len(p["name"]) <= 300
    assert p["level"] in LEVELS
    assert p["agency_kind"] in AGENCY_KINDS
    assert isinstance(p["legal_basis"], str) and p["legal_basis"].strip()
    v = p["version"]
    assert set(v) == {"number", "effective_from", "decision"}
    assert is_int(v["number"]) and v["number"] >= 1
    date.fromisoformat(v["effective_from"])
    assert isinstance(v["decision"], str) and len(v["decision"]) <= 300
    assert p["cases"], "a procedure needs at least one case"
    case_codes = [c["code"] for c in p["cases"]]
    assert len(case_codes) == len(set(case_codes))


# --- cases ---------------------------------------------------------------------------------------------


def check_limit(limit):
    assert isinstance(limit, list) and len(limit) == 2, limit
    unit, value = limit
    assert unit in UNITS, unit
    if unit in ("same_day", "none"):
        assert value is None
    else:
        assert is_number(value) and value > 0, limit


@pytest.mark.parametrize("pc", CASES, ids=case_id)
def test_case_shape(pc):
    _, c = pc
    assert set(c) == CASE_KEYS
    assert c["code"].strip() and len(c["code"]) <= 30
    assert c["name"].strip() and len(c["name"]) <= 300
    check_limit(c["time_limit"])
    if c["online_time_limit"] is not None:
        check_limit(c["online_time_limit"])
    for cutoff in (c["same_day_cutoff"], c["online_cutoff"]):
        assert cutoff is None or HHMM.match(cutoff), cutoff
    if c["time_limit"][0] == "same_day":
        assert c["same_day_cutoff"], "a same-day case needs its cut-off"
    assert c["online_level"] in ONLINE_LEVELS
    assert c["result_documents"] and all(isinstance(d, str) and d.strip() for d in c["result_documents"])


@pytest.mark.parametrize("pc", CASES, ids=case_id)
def test_components(pc):
    _, c = pc
    assert c["components"], "a case needs at least one component"
    for comp in c["components"]:
        assert set(comp) == COMPONENT_KEYS
        assert comp["name"].strip() and len(comp["name"]) <= 400
        assert comp["description"].strip()
        for key in ("originals", "certified_copies", "photocopies"):
            assert is_int(comp[key]) and comp[key] >= 0
        assert isinstance(comp["national_data"], bool)
        assert isinstance(comp["required"], bool)
    assert any(comp["required"] for comp in c["components"])


@pytest.mark.parametrize("pc", CASES, ids=case_id)
def test_fees(pc):
    _, c = pc
    assert isinstance(c["fees"], list)
    for fee in c["fees"]:
        assert set(fee) == FEE_KEYS
        assert fee["kind"] in FEE_KINDS
        assert fee["mode"] in FEE_MODES
        assert fee["name"].strip() and len(fee["name"]) <= 300
        assert is_int(fee["amount"]) and fee["amount"] >= 0
        assert fee["online_amount"] is None or (is_int(fee["online_amount"]) and fee["online_amount"] >= 0)
        if fee["mode"] in ("exempt", "none"):
            assert fee["amount"] == 0 and not fee["online_amount"]
        else:
            assert fee["amount"] > 0


@pytest.mark.parametrize("pc", CASES, ids=case_id)
def test_steps_fit_the_legal_limit(pc):
    _, c = pc
    assert c["steps"], "a case needs its internal workflow"
    for s in c["steps"]:
        assert set(s) == STEP_KEYS
        assert s["role"] in ROLES
        assert s["name"].strip() and len(s["name"]) <= 200
        assert is_number(s["hours"]) and s["hours"] > 0
    total = sum(s["hours"] for s in c["steps"])
    unit, value = c["time_limit"]
    if unit == "working_day":
        assert total == pytest.approx(value * 8, abs=1e-9)
    elif unit == "working_hour":
        assert total == pytest.approx(value, abs=1e-9)
    elif unit == "same_day":
        assert total <= 8
    elif unit == "calendar_day":
        assert total <= value * 8


@pytest.mark.parametrize("pc", CASES, ids=case_id)
def test_eform(pc):
    p, c = pc
    form = c["eform"]
    assert schema_problems(form, f"{p['code']}-{c['code']}") == []
    assert form["type"] == "object"
    assert 4 <= len(form["properties"]) <= 10
    assert form["required"], "a form should require something"


# --- Vietnamese text ----------------------------------------------------------------------------------


def walk_strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from walk_strings(k)
            yield from walk_strings(v)
    elif isinstance(node, (list, tuple)):
        for v in node:
            yield from walk_strings(v)


def test_all_text_is_nfc():
    bad = [
        s for s in walk_strings([FIELDS, PROCEDURES, UNVERIFIED]) if not unicodedata.is_normalized("NFC", s)
    ]
    assert not bad, bad[:5]


def test_names_carry_vietnamese_diacritics():
    # A name typed without diacritics ("Dang ky khai sinh") is a typo for a citizen-facing catalogue.
    vietnamese = re.compile(
        r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.IGNORECASE
    )
    names = [f["name"] for f in FIELDS] + [p["name"] for p in PROCEDURES]
    names += [c["name"] for _, c in CASES]
    names += [comp["name"] for _, c in CASES for comp in c["components"]]
    for n in names:
        assert vietnamese.search(n), n


# --- UNVERIFIED ---------------------------------------------------------------------------------------


def test_unverified_points_at_known_procedures():
    codes = {p["code"] for p in PROCEDURES}
    assert set(UNVERIFIED) <= codes
    assert all(isinstance(v, str) and v.strip() for v in UNVERIFIED.values())
    assert seed_data.UNVERIFIED_CODES == frozenset(UNVERIFIED)


def test_section_9_unverified_procedures_are_flagged():
    # §9 marks the code or figures of these as UNVERIFIED.
    for code in (
        "1.004194",
        "1.010038",
        "1.000894",
        "1.000656",
        "2.002913",
        "2.000815",
        "2.000884",
        "1.001612",
        "1.000955",
        "1.013225",
        "1.002809",
    ):
        assert code in UNVERIFIED, code


# --- the figures of §9 ---------------------------------------------------------------------------------


def only_case(code):
    p = by_code(code)
    return p["cases"][0]


def fee_named(case, word):
    matches = [f for f in case["fees"] if word.lower() in f["name"].lower()]
    assert len(matches) == 1, (word, case["fees"])
    return matches[0]


def test_permanent_residence_1_004222():
    p = by_code("1.004222")
    assert p["agency_kind"] == "vertical_agency" and p["level"] == "commune"
    c = p["cases"][0]
    assert c["time_limit"] == ["working_day", 7]
    assert c["online_level"] == "partial"
    fee = fee_named(c, "thường trú")
    assert (fee["kind"], fee["amount"], fee["online_amount"]) == ("le_phi", 20000, 10000)
    assert "CT01" in c["components"][0]["name"]


def test_temporary_residence():
    c = only_case("1.004194")
    assert c["time_limit"] == ["working_day", 3]
    fee = fee_named(c, "tạm trú")
    assert (fee["amount"], fee["online_amount"]) == (15000, 7000)


def test_split_household():
    c = only_case("1.010038")
    fee = fee_named(c, "tách hộ")
    assert (fee["amount"], fee["online_amount"]) == (10000, 5000)


def test_certify_copies_per_page():
    c = only_case("2.000815")
    assert c["time_limit"] == ["same_day", None] and c["same_day_cutoff"] == "15:00"
    fee = fee_named(c, "trang")
    assert fee["kind"] == "phi" and fee["amount"] == 2000
    assert "1.000" in fee["name"] and "200.000" in fee["name"]


def test_certify_signature():
    c = only_case("2.000884")
    assert c["time_limit"] == ["same_day", None]
    assert [f["amount"] for f in c["fees"]] == [10000]


def test_birth_registration():
    p = by_code("1.001193")
    on_time = p["cases"][0]
    assert on_time["time_limit"] == ["same_day", None] and on_time["same_day_cutoff"] == "15:00"
    assert on_time["online_level"] == "full"
    assert all(f["amount"] == 0 and f["mode"] == "exempt" for f in on_time["fees"])
    assert any("chứng sinh" in comp["name"] for comp in on_time["components"])


def test_linked_birth_group_3_000722():
    p = by_code("3.000722")
    limits = {c["code"]: c["time_limit"] for c in p["cases"]}
    assert limits["TH1"] == ["working_day", 3]
    assert ["working_day", 5] in limits.values(), "the 'cần xác minh' case takes 5 working days"
    assert all(c["online_level"] == "full" for c in p["cases"])


def test_id_card_under_6():
    c = only_case("1.116410")
    assert c["time_limit"] == ["working_day", 7]
    assert c["online_level"] == "full"
    assert all(f["amount"] == 0 for f in c["fees"])


def test_household_business():
    c = only_case("1.001612")
    assert c["time_limit"] == ["working_day", 3]
    assert [f["amount"] for f in c["fees"]] == [100000]


def test_company_formation():
    c = only_case("1.000955")
    assert c["time_limit"] == ["working_day", 3]
    reg = fee_named(c, "lệ phí đăng ký doanh nghiệp")
    assert (reg["kind"], reg["amount"], reg["online_amount"]) == ("le_phi", 50000, 0)
    pub = fee_named(c, "công bố")
    assert (pub["kind"], pub["amount"]) == ("phi", 100000)


def test_building_permit():
    c = only_case("1.013225")
    assert c["time_limit"] == ["calendar_day", 15]
    assert [f["amount"] for f in c["fees"]] == [75000]


def test_driving_licence_exchange():
    c = only_case("1.002809")
    assert c["time_limit"] == ["working_day", 5]
    assert [f["amount"] for f in c["fees"]] == [135000]


def test_marriage():
    p = by_code("1.000894")
    assert p["cases"][0]["time_limit"] == ["same_day", None]
    assert ["working_day", 5] in [c["time_limit"] for c in p["cases"]]
    assert all(f["amount"] == 0 for c in p["cases"] for f in c["fees"])
    assert all(c["online_level"] == "partial" for c in p["cases"])


def test_death_registration():
    c = by_code("1.000656")["cases"][0]
    assert c["time_limit"] == ["same_day", None]
    assert all(f["amount"] == 0 for f in c["fees"])


def test_linked_death_group():
    c = only_case("2.002913")
    assert c["time_limit"] == ["working_day", 9]


def test_copy_from_master_register():
    c = only_case("2.000908")
    assert c["time_limit"] == ["same_day", None] and c["same_day_cutoff"] == "15:00"
    assert c["fees"] == []
