"""Review of the public, citizen-facing code (portal accounts, tracking, online application, tus,
feedback). Each test reproduces one confirmed defect and is marked xfail(strict=True): it fails today and
will start passing (and so turn the run red) once the defect is fixed, so the marker must then go."""

import base64
import time
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from motcua.applications import services as app_services
from motcua.applications.forms import EForm
from motcua.feedback.models import Feedback
from motcua.integrations.models import ResidentRecord
from motcua.portal.identity import SESSION_KEY
from motcua.portal.models import CitizenAccount
from tests.applications.conftest import SCHEMA, make_citizen, sign_in
from tests.factories import VALID_PID
from tests.portal.test_accounts import PASSWORD, confirmed_account, last_code, pid

TUS = {"Tus-Resumable": "1.0.0"}
VICTIM_PHONE = "0912345678"
ATTACKER_PHONE = "0987654321"


def meta(**values) -> str:
    return ",".join(f"{k} {base64.b64encode(str(v).encode()).decode()}" for k, v in values.items())


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


# ---------------------------------------------------------------- accounts


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


# ---------------------------------------------------------------- feedback


def test_feedback_follow_page_does_not_reveal_the_dossier_behind_a_typed_code(world, client):
    dossier = world.new_dossier()
    procedure = dossier.procedure_version.procedure
    response = client.post("/danh-gia/phan-anh/", {
        "kind": Feedback.Kind.values[0], "text": "Tôi muốn hỏi về tiến độ hồ sơ này.", "dossier_code": dossier.code,
    })
    assert response.status_code == 201
    code = Feedback.objects.get().code
    follow = client.get(f"/danh-gia/phan-anh/{code}/").content.decode()
    assert procedure.name not in follow


# ---------------------------------------------------------------- rate limits


def test_tracking_throttle_covers_an_ipv6_prefix(world):
    dossier = world.new_dossier()
    client = Client()
    statuses = [
        client.post("/tra-cuu/", {"code": dossier.code, "secret": f"09{i:08d}"}, REMOTE_ADDR=f"2001:db8:1:2::{i + 1:x}").status_code
        for i in range(12)
    ]
    assert 429 in statuses


# ---------------------------------------------------------------- online application and tus


@pytest.fixture
def citizen_client(citizen, case):
    client = lenient()
    sign_in(client, citizen)
    return client


@pytest.fixture
def citizen(db):
    return make_citizen()


@pytest.fixture
def case(world):
    case = world.case()
    case.eform_schema = SCHEMA
    case.save()
    return case


def test_tus_upload_length_with_a_superscript_digit_is_a_400(citizen_client, case):
    component = case.components.get(order=1)
    response = citizen_client.post(
        reverse("applications:tus"),
        headers=TUS | {"Upload-Length": "²", "Upload-Metadata": meta(filename="a.pdf", component=component.pk)},
    )
    assert response.status_code == 400


def test_tus_huge_upload_length_is_refused_not_a_500(citizen_client, case):
    component = case.components.get(order=1)
    response = citizen_client.post(
        reverse("applications:tus"),
        headers=TUS | {"Upload-Length": "9" * 5000, "Upload-Metadata": meta(filename="a.pdf", component=component.pk)},
    )
    assert response.status_code in (400, 413)


def test_tus_component_metadata_with_a_superscript_digit_is_a_4xx(citizen_client, case):
    response = citizen_client.post(
        reverse("applications:tus"),
        headers=TUS | {"Upload-Length": "10", "Upload-Metadata": meta(filename="a.pdf", component="²")},
    )
    assert 400 <= response.status_code < 500


def test_tus_patch_with_a_superscript_offset_is_a_400(citizen_client, citizen, case):
    draft = app_services.start_draft(citizen, case)
    upload = app_services.create_upload(draft, case.components.get(order=1).pk, 10, "a.pdf")
    response = citizen_client.generic(
        "PATCH", reverse("applications:tus-upload", args=[upload.pk]), b"%PDF-1.7\n",
        content_type="application/offset+octet-stream", headers=TUS | {"Upload-Offset": "²"},
    )
    assert response.status_code == 400


def test_deleting_a_malformed_upload_id_is_a_404(citizen_client, case):
    response = citizen_client.post(reverse("applications:components", args=[case.pk]), {"delete": "not-a-uuid"})
    assert response.status_code == 404


def test_a_number_with_a_huge_exponent_is_refused_by_the_eform():
    form = EForm({"dien_tich": "1E999999999"}, schema=SCHEMA)
    form.is_valid()
    value = form.cleaned_data.get("dien_tich")
    assert value is None or value.adjusted() < 15


def test_the_review_step_refuses_a_phone_no_message_can_reach():
    from motcua.applications.forms import ReviewForm

    form = ReviewForm({"phone": "12345", "return_method": "counter"}, agencies=[])
    assert not form.is_valid() and "10 chữ số" in form.errors["phone"][0]
    form = ReviewForm({"phone": "+84 912.345.678", "return_method": "counter"}, agencies=[])
    form.is_valid()
    assert form.cleaned_data["phone"] == "0912345678"


def test_a_flood_of_forged_payment_results_is_stopped_without_writing(db, client):
    from motcua.payments.models import PaymentNotice

    statuses = [client.get("/thanh-toan/ket-qua/", {"MaThamChieu": f"dvc{i}", "MaXacThuc": "0"}).status_code
                for i in range(14)]
    assert statuses[:10] == [400] * 10 and set(statuses[10:]) == {429}
    assert PaymentNotice.objects.count() == 10


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
