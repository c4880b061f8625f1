"""Who may call what: bearer tokens, roles at the dossier's agencies, and the scope of what a caller sees."""

import pytest
from django.test import Client
from django.utils import timezone

from motcua.org.models import ApiToken
from motcua.org.roles import Role

from .conftest import CENTRE, COMMITTEE, POLICE, Api, assert_refused, counts, dossier_body


def test_me_names_the_token_user_and_roles(world, api):
    response = api.get("/me")
    assert response.status_code == 200
    assert response.json() == {"username": "system", "roles": [{"role": "one_stop_officer", "agency": "000.00.00.H56"}]}


def test_catalog_is_public(world):
    client = Client()
    assert client.get("/api/v1/procedures").status_code == 200
    assert client.get("/api/v1/procedures/1.004222").status_code == 200
    assert client.get("/api/v1/workflow").status_code == 200


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer not-a-token", "Bearer ", "Token {token}", "{token}"],
    ids=["missing", "wrong", "empty", "other-scheme", "no-scheme"],
)
def test_without_a_valid_token(world, clock, authorization):
    headers = {"HTTP_AUTHORIZATION": authorization.format(token=world.token)} if authorization else {}
    client = Client()
    for response in (
        client.get("/api/v1/me", **headers),
        client.get("/api/v1/dossiers", **headers),
        client.post("/api/v1/dossiers", dossier_body(), content_type="application/json", **headers),
    ):
        assert_refused(response, 401, "unauthorized", "Authorization: Bearer")
    assert counts() == (0, 0, 0)


def test_revoked_token(world, clock):
    token, raw = ApiToken.issue(world.user("system"), "revoked")
    assert Api(raw).get("/me").status_code == 200
    token.revoked_at = timezone.now()
    token.save()
    assert_refused(Api(raw).get("/me"), 401, "unauthorized")
    assert_refused(Api(raw).post("/dossiers", dossier_body()), 401, "unauthorized")
    assert counts() == (0, 0, 0)


def test_token_of_a_deactivated_user(world, clock):
    _, raw = ApiToken.issue(world.user(Role.ONE_STOP_OFFICER), "leaver")
    assert Api(raw).get("/me").status_code == 200
    user = world.user(Role.ONE_STOP_OFFICER)
    user.is_active = False
    user.save()
    assert_refused(Api(raw).get("/me"), 401, "unauthorized")


def test_demo_style_token_issued_with_a_chosen_key(world):
    ApiToken.issue(world.user(Role.ONE_STOP_OFFICER), "demo", raw="demo-token-motcua-2026")
    response = Api("demo-token-motcua-2026").get("/me")
    assert response.json() == {"username": "one_stop_officer", "roles": [{"role": "one_stop_officer", "agency": CENTRE}]}


def test_staff_signed_in_to_the_site_may_read(world):
    client = Client()
    client.force_login(world.user(Role.SPECIALIST))
    response = client.get("/api/v1/me")
    assert response.json() == {"username": "specialist", "roles": [{"role": "specialist", "agency": COMMITTEE}]}


def test_creating_needs_a_submitting_role(world, api_as, clock):
    for role in (Role.SUPERVISOR, Role.SPECIALIST):
        assert_refused(api_as(role).post("/dossiers", dossier_body()), 403, "forbidden", "Nộp hồ sơ", "Cán bộ một cửa")
    assert counts() == (0, 0, 0)


def test_creating_at_an_agency_outside_ones_units(world, api, clock):
    # The police are not under the province committee where the token's role is held.
    body = dossier_body(receiving_agency=POLICE, competent_agency=POLICE)
    assert_refused(api.post("/dossiers", body), 403, "forbidden", "Công an phường Hạc Thành")
    assert counts() == (0, 0, 0)


def test_creating_for_a_receiving_agency_outside_ones_units(world, api, clock):
    body = dossier_body(receiving_agency=POLICE, competent_agency=COMMITTEE)
    assert api.post("/dossiers", body).status_code == 403
    assert counts() == (0, 0, 0)


def test_acting_needs_the_transition_role(world, api, api_as, clock):
    code = api.post("/dossiers", dossier_body()).json()["code"]
    before = counts()
    assert_refused(api_as(Role.SPECIALIST).act(code, "receive"), 403, "forbidden", "Tiếp nhận hồ sơ")
    assert_refused(api_as(Role.SUPERVISOR).act(code, "withdraw", {"reason": "x"}), 403, "forbidden")
    assert counts() == before


def test_forward_needs_the_role_of_the_current_step(world, api, api_as, clock):
    code = api.post("/dossiers", dossier_body()).json()["code"]
    api.act(code, "receive")
    assert_refused(api_as(Role.SPECIALIST).act(code, "forward"), 403, "forbidden", "Cán bộ một cửa")
    assert api.act(code, "forward").status_code == 200
    before = counts()
    # Step 2 is the specialist's: the one-stop officer may forward in general, but not this step.
    assert_refused(api.act(code, "forward"), 403, "forbidden", "Chuyên viên xử lý")
    assert counts() == before


def test_another_units_dossier_is_invisible(world, api, api_as, clock):
    code = api.post("/dossiers", dossier_body()).json()["code"]
    stranger = api_as(Role.ONE_STOP_OFFICER, other=True)
    assert_refused(stranger.get(f"/dossiers/{code}"), 404, "not_found", code)
    before = counts()
    assert_refused(stranger.act(code, "receive"), 404, "not_found", code)
    assert counts() == before
    assert stranger.get("/dossiers").json() == []
    # Its own unit's staff see it.
    assert [d["code"] for d in api_as(Role.SPECIALIST).get("/dossiers").json()] == [code]
    assert [d["code"] for d in api_as(Role.SUPERVISOR).get("/dossiers").json()] == [code]


def test_allowed_actions_only_lists_what_the_caller_may_do_now(world, api, clock):
    code = api.post("/dossiers", dossier_body()).json()["code"]
    api.act(code, "receive")
    d = api.act(code, "forward").json()  # now at the specialist's step
    assert api.act(code, "forward").status_code == 403
    assert "forward" not in [a["action"] for a in d["allowed_actions"]]
