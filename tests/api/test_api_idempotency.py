"""Idempotency-Key: a caller that repeats a request (a timeout, a retry) gets the first answer and writes nothing."""

from motcua.dossiers.models import Dossier, DossierEvent, IdempotencyRecord
from motcua.org.roles import Role

from .conftest import assert_refused, counts, dossier_body


def test_repeated_creation_returns_the_first_dossier(world, api, clock):
    first = api.post("/dossiers", dossier_body(), key="portal-7f3a")
    assert first.status_code == 201
    clock.set("2026-11-16 08:05")
    again = api.post("/dossiers", dossier_body(), key="portal-7f3a")
    assert again.status_code == 200
    assert again.json()["code"] == first.json()["code"] == "001.00.06.H56-261116-0001"
    assert again.json()["submitted_at"] == "2026-11-16T08:00:00+07:00"
    assert counts() == (1, 1, 1)


def test_without_a_key_each_post_is_a_new_dossier(world, api, clock):
    codes = [api.post("/dossiers", dossier_body()).json()["code"] for _ in range(2)]
    assert codes == ["001.00.06.H56-261116-0001", "001.00.06.H56-261116-0002"]
    assert counts() == (2, 2, 0)


def test_keys_belong_to_their_caller(world, api, api_as, clock):
    mine = api.post("/dossiers", dossier_body(), key="k-1")
    theirs = api_as(Role.POSTAL_AGENT).post("/dossiers", dossier_body(channel=3), key="k-1")
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["code"] != theirs.json()["code"]
    assert IdempotencyRecord.objects.count() == 2


def test_repeated_action_is_done_once(world, api, clock):
    code = api.post("/dossiers", dossier_body()).json()["code"]
    first = api.act(code, "receive", key="receive-1")
    assert first.status_code == 200
    clock.set("2026-11-16 09:00")
    again = api.act(code, "receive", key="receive-1")
    assert again.status_code == 200
    assert again.json()["state"] == "received"
    assert again.json()["received_at"] == "2026-11-16T08:00:00+07:00"
    assert list(DossierEvent.objects.filter(dossier__code=code).values_list("action", flat=True)) == ["submit", "receive"]


def test_same_key_for_another_action_is_a_conflict(world, api, clock):
    code = api.post("/dossiers", dossier_body(), key="k-42").json()["code"]
    before = counts()
    assert_refused(api.act(code, "receive", key="k-42"), 409, "idempotency_conflict", "'k-42'", "Nộp hồ sơ")
    assert counts() == before
    assert Dossier.objects.get(code=code).state == "submitted"


def test_same_key_for_the_same_action_on_another_dossier_is_a_conflict(world, api, clock):
    first = api.post("/dossiers", dossier_body()).json()["code"]
    second = api.post("/dossiers", dossier_body()).json()["code"]
    assert api.act(first, "receive", key="r-1").status_code == 200
    before = counts()
    # Without a refusal the second dossier would look received to the caller while it is not.
    assert_refused(api.act(second, "receive", key="r-1"), 409, "idempotency_conflict", "'r-1'", first)
    assert counts() == before
    assert Dossier.objects.get(code=second).state == "submitted"


def test_over_long_key(world, api, clock):
    assert_refused(api.post("/dossiers", dossier_body(), key="k" * 101), 400, "invalid", "100 ký tự")
    assert counts() == (0, 0, 0)
