"""The tracking look-up as the portal's busiest request: it answers from one query and writes nothing
when it succeeds (the code goes into a signed cookie, not a session row), the cookie cannot be forged,
edited or kept past its age, signing out forgets it, and failed look-ups are still limited per address
(and per IPv6 /64) across requests and server processes, within the 10-minute window only."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core import signing
from django.test import Client
from django.utils import timezone

from motcua.feedback.models import FailedLookup
from motcua.portal import identity, tracking
from motcua.portal.models import CitizenAccount
from tests.factories import VALID_PID, at
from tests.portal.test_track import look_up, processing


def opens(client, d) -> bool:
    status = client.get(f"/tra-cuu/ho-so/{d.code}/").status_code
    assert status in (200, 404)
    return status == 200


def signed_in(client, personal_id=VALID_PID) -> CitizenAccount:
    account = CitizenAccount.objects.create(personal_id=personal_id, full_name="Nguyễn Văn An", phone="0900000009")
    session = client.session
    session[identity.SESSION_KEY] = account.pk
    session.save()
    return account


# ---------------------------------------------------------------- nothing written, one query


def test_a_successful_lookup_writes_no_session_and_runs_one_query(world, client, django_assert_num_queries):
    d = processing(world)
    with django_assert_num_queries(1):  # the address's failures and the dossier, together
        response = look_up(client, d.code, "0912345678")
    assert response.status_code == 302 and response["Location"] == f"/tra-cuu/ho-so/{d.code}/"
    assert Session.objects.count() == 0 and "sessionid" not in response.cookies
    assert not FailedLookup.objects.exists()
    cookie = response.cookies[tracking.COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and not cookie["secure"]
    assert 0 < int(cookie["max-age"]) <= 14 * 24 * 3600 and cookie["path"] == "/"
    assert opens(client, d)


def test_the_cookie_is_secure_on_https(world, client):
    d = processing(world)
    response = client.post("/tra-cuu/", {"code": d.code, "secret": "0912345678"}, secure=True)
    assert response.status_code == 302 and response.cookies[tracking.COOKIE]["secure"]


def test_the_lookup_form_still_needs_its_csrf_token(world):
    d = processing(world)
    browser = Client(enforce_csrf_checks=True)
    assert browser.post("/tra-cuu/", {"code": d.code, "secret": "0912345678"}).status_code == 403
    assert tracking.COOKIE not in browser.cookies


def test_looked_up_codes_accumulate_newest_last_and_are_bounded(world, client):
    first, second = processing(world), processing(world)
    look_up(client, first.code, "0912345678")
    look_up(client, second.code, "0912345678")
    look_up(client, first.code, "0912345678")
    payload = signing.loads(client.cookies[tracking.COOKIE].value, salt=tracking.COOKIE_SALT)
    assert payload["c"] == [second.code, first.code]
    assert opens(client, first) and opens(client, second)
    many = {"n": payload["n"], "c": [f"X{i}" for i in range(40)]}
    client.cookies[tracking.COOKIE] = signing.dumps(many, salt=tracking.COOKIE_SALT)
    look_up(client, first.code, "0912345678")
    codes = signing.loads(client.cookies[tracking.COOKIE].value, salt=tracking.COOKIE_SALT)["c"]
    assert len(codes) == tracking.SESSION_MAX and codes[-1] == first.code


# ---------------------------------------------------------------- the cookie cannot be made up


def test_an_edited_or_forged_cookie_opens_nothing(world, client):
    mine, other = processing(world), processing(world)
    look_up(client, mine.code, "0912345678")
    value = client.cookies[tracking.COOKIE].value
    # The same payload with the other dossier's code, keeping the old signature.
    data, _, signature = value.partition(":")
    payload = signing.loads(value, salt=tracking.COOKIE_SALT)
    edited = signing.dumps({"n": payload["n"], "c": [other.code]}, salt=tracking.COOKIE_SALT).split(":", 1)[0]
    attempts = [
        f"{edited}:{signature}",
        signing.dumps({"n": "x", "c": [other.code]}, salt=tracking.COOKIE_SALT, key="not-the-secret-key"),
        signing.dumps({"n": "x", "c": [other.code]}),  # the right key, another purpose (salt)
        signing.dumps({"n": "x", "c": [other.code]}, salt="django.contrib.sessions.SessionStore"),
        signing.dumps([other.code], salt=tracking.COOKIE_SALT),  # signed, but not a payload of ours
        "garbage",
    ]
    for forged in attempts:
        browser = Client()
        browser.cookies[tracking.COOKIE] = forged
        assert not opens(browser, other), forged
        assert browser.get(f"/tra-cuu/?ma={other.code}").status_code == 200  # the form, not the page


def test_an_old_cookie_opens_nothing(world, client, monkeypatch):
    d = processing(world)
    real = signing.TimestampSigner.timestamp
    monkeypatch.setattr(signing.TimestampSigner, "timestamp",
                        lambda self: signing.b62_encode(int(signing.b62_decode(real(self))) - 15 * 24 * 3600))
    look_up(client, d.code, "0912345678")
    monkeypatch.undo()
    assert not opens(client, d)


# ---------------------------------------------------------------- signing in and out


def test_signing_out_forgets_what_the_browser_looked_up_before(world, client):
    d, later = processing(world), processing(world)
    look_up(client, d.code, "0912345678")
    assert opens(client, d)
    signed_in(client, personal_id="001090099999")  # an account that owns neither dossier
    assert opens(client, d)  # looked up before signing in: still open
    client.post("/cong-dan/dang-xuat/")
    assert not opens(client, d)
    # A look-up after signing out starts afresh: the new dossier opens, the old one stays closed.
    assert look_up(client, later.code, "0912345678").status_code == 302
    assert opens(client, later) and not opens(client, d)
    assert signing.loads(client.cookies[tracking.COOKIE].value, salt=tracking.COOKIE_SALT)["c"] == [later.code]


def test_a_signed_in_citizen_keeps_his_look_ups_in_his_session_until_he_signs_out(world, client):
    d = processing(world)
    signed_in(client, personal_id="001090099999")
    response = look_up(client, d.code, "0912345678")
    assert response.status_code == 302 and tracking.COOKIE not in response.cookies
    assert client.session[tracking.SESSION_KEY] == [d.code] and opens(client, d)
    client.post("/cong-dan/dang-xuat/")
    assert tracking.SESSION_KEY not in client.session and not opens(client, d)


# ---------------------------------------------------------------- the failure limit


def test_failures_recorded_by_another_server_process_count(world, client):
    d = processing(world)
    now = timezone.now()
    # Ten failures written by other processes (rows in the shared database), within the window.
    FailedLookup.objects.bulk_create(
        FailedLookup(scope="track", client="10.0.0.1", at=now - timedelta(minutes=9, seconds=50 - i))
        for i in range(10)
    )
    assert look_up(client, d.code, "0912345678").status_code == 429
    assert look_up(client, d.code, "0912345678", ip="10.0.0.2").status_code == 302


def test_failures_older_than_the_window_do_not_count(world, client):
    d = processing(world)
    old = timezone.now() - timedelta(minutes=10, seconds=5)
    FailedLookup.objects.bulk_create(FailedLookup(scope="track", client="10.0.0.1", at=old) for _ in range(10))
    FailedLookup.objects.bulk_create(  # other scopes and addresses are not this address's look-ups
        [FailedLookup(scope="follow", client="10.0.0.1") for _ in range(10)]
        + [FailedLookup(scope="track", client="10.0.0.10") for _ in range(10)]
    )
    assert look_up(client, d.code, "0912345678").status_code == 302


def test_ipv6_failures_count_per_64(world, client):
    d = processing(world)
    for i in range(10):
        assert look_up(client, d.code, "0999999999", ip=f"2001:db8:1:2::{i + 1:x}").status_code == 404
    assert look_up(client, d.code, "0912345678", ip="2001:db8:1:2:ffff::1").status_code == 429
    assert look_up(client, d.code, "0912345678", ip="2001:db8:1:3::1").status_code == 302


@pytest.mark.parametrize("secret", ["0912345678", VALID_PID])
def test_find_answers_the_dossier_with_only_what_the_look_up_needs(world, secret):
    d = processing(world)
    found = tracking.find(d.code.lower(), secret, client="10.0.0.1", now=at("2026-11-16 11:00"))
    assert found.pk == d.pk and found.code == d.code
    assert found.get_deferred_fields() >= {"state", "applicant_name"}
    assert found.applicant_name == d.applicant_name  # loads when read
    with pytest.raises(tracking.TrackingError) as refused:
        tracking.find(d.code, "0987654321", client="10.0.0.1", now=at("2026-11-16 11:00"))
    assert refused.value.status == 404


def test_tracking_throttle_covers_an_ipv6_prefix(world):
    dossier = world.new_dossier()
    client = Client()
    statuses = [
        client.post("/tra-cuu/", {"code": dossier.code, "secret": f"09{i:08d}"}, REMOTE_ADDR=f"2001:db8:1:2::{i + 1:x}").status_code
        for i in range(12)
    ]
    assert 429 in statuses


def test_citizen_sign_out_forgets_what_the_browser_looked_up(db, client):
    from motcua.portal.models import CitizenAccount

    account = CitizenAccount.objects.create(personal_id=VALID_PID, full_name="Nguyễn Văn An", phone="0912345678")
    session = client.session
    session["portal_citizen_id"] = account.pk
    session["portal_tracked_dossiers"] = ["001.00.06.H56-261116-0001"]
    session["desk_population_lookups"] = {"x": 1}  # a staff key in the same browser stays
    session.save()
    client.post("/cong-dan/dang-xuat/")
    keys = set(client.session.keys())
    assert "portal_citizen_id" not in keys and "portal_tracked_dossiers" not in keys
    assert "desk_population_lookups" in keys
