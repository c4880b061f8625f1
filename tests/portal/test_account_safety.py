"""Citizen accounts cannot be taken over or enumerated: a stale pending sign-up, an unconfirmed identity,
sign-up probes and name checks beyond their limits, a malformed sign-in callback (portal/accounts)."""

import time
from datetime import date

from django.test import Client

from motcua.integrations.models import ResidentRecord
from motcua.portal.identity import SESSION_KEY
from motcua.portal.models import CitizenAccount
from tests.factories import VALID_PID
from tests.portal.test_accounts import PASSWORD, confirmed_account, last_code, pid

VICTIM_PHONE = "0912345678"
ATTACKER_PHONE = "0987654321"


def lenient() -> Client:
    """A client that returns a 500 page instead of raising, to see what a visitor would get."""
    return Client(raise_request_exception=False)


def sign_up(client, personal_id, full_name="Nguyễn Văn An", phone=ATTACKER_PHONE, ip="203.0.113.9"):
    return client.post(
        "/cong-dan/dang-ky/",
        {"personal_id": personal_id, "full_name": full_name, "phone": phone, "password1": PASSWORD,
         "password2": PASSWORD},
        REMOTE_ADDR=ip,
    )


def test_a_stale_pending_sign_up_cannot_sign_in_to_the_account_the_owner_confirmed(db):
    attacker, owner = Client(), Client()
    # The attacker starts a sign-up with the owner's personal ID (unconfirmed: allowed, it is taken over later).
    assert sign_up(attacker, VALID_PID, phone=ATTACKER_PHONE, ip="203.0.113.9").status_code == 302
    # The owner signs up with his own phone (taking over the unconfirmed account) and confirms it.
    assert sign_up(owner, VALID_PID, phone=VICTIM_PHONE, ip="198.51.100.7").status_code == 302
    assert owner.post("/cong-dan/xac-nhan/", {"code": last_code(VICTIM_PHONE)}).status_code == 302
    account = CitizenAccount.objects.get(personal_id=VALID_PID)
    assert account.phone == VICTIM_PHONE and account.phone_verified_at is not None
    # The attacker's browser still holds the pending sign-up: any six digits now sign him in as the owner.
    attacker.post("/cong-dan/xac-nhan/", {"code": "000000"})
    assert attacker.session.get(SESSION_KEY) != account.pk


def test_an_unverified_account_does_not_open_the_dossiers_of_the_id_it_typed(world, client):
    dossier = world.new_dossier()  # filed at the counter by the real owner of VALID_PID, phone 0912345678
    assert dossier.personal_id == VALID_PID
    assert sign_up(client, VALID_PID, phone=ATTACKER_PHONE).status_code == 302
    assert client.post("/cong-dan/xac-nhan/", {"code": last_code(ATTACKER_PHONE)}).status_code == 302
    account = CitizenAccount.objects.get(personal_id=VALID_PID)
    assert not account.identity_verified and account.phone != dossier.phone
    page = client.get(f"/tra-cuu/ho-so/{dossier.code}/")
    assert page.status_code == 404


def test_sign_up_cannot_enumerate_accounts_without_limit(db):
    for i in range(1, 16):
        confirmed_account(personal_id=pid(i), phone_number=f"09{i:08d}")
    client = Client()
    statuses = [sign_up(client, pid(i), phone=f"03{i:08d}").status_code for i in range(1, 16)]
    # 15 probes from one address: more than the 10 code requests an address may make in an hour.
    assert 429 in statuses


def test_sign_up_name_check_is_rate_limited(db):
    ResidentRecord.objects.create(personal_id=VALID_PID, full_name="Nguyễn Văn An", birth_date=date(1987, 5, 4),
                                  sex="nam", address="Thanh Hóa")
    client = Client()
    statuses = []
    for i in range(15):
        response = sign_up(client, VALID_PID, full_name=f"Trần Thị Bích {chr(65 + i)}", phone=f"03{i:08d}")
        statuses.append(response.status_code)
    assert 429 in statuses


def test_oidc_callback_with_a_non_ascii_state_is_a_400(db, settings):
    settings.MOTCUA_OIDC_ISSUER = "https://id.example.vn"
    settings.MOTCUA_OIDC_CLIENT_ID = "motcua"
    client = lenient()
    session = client.session
    session["portal_oidc"] = {"state": "abc", "nonce": "n", "redirect_uri": "https://x/cb", "at": time.time(),
                              "next": "/cong-dan/ho-so/"}
    session.save()
    response = client.get("/cong-dan/dinh-danh/ve/", {"state": "é", "code": "x"})
    assert response.status_code == 400


