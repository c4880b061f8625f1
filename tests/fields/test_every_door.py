"""Bounded numbers and clean text at every door (issue 18, item 7): the same bad values sent through the
API, the counter, the citizen's sign-up, feedback and the outbox are refused with a Vietnamese message
and a 4xx, nothing written, never a 500."""

import pytest

from motcua import fields
from motcua.dossiers.models import Dossier
from motcua.feedback.models import Feedback as FeedbackItem
from motcua.notify import outbox
from motcua.notify.models import OutboxMessage
from motcua.org.roles import Role
from motcua.portal.models import CitizenAccount
from tests.api.conftest import VIETNAMESE, Api, dossier_body
from tests.desk.helpers import counter_data, login
from tests.factories import VALID_PID

FULLWIDTH = "".join(chr(ord(c) - ord("0") + 0xFF10) for c in VALID_PID)  # ０３８…
SUPERSCRIPT = "²" + VALID_PID[1:]  # '²'.isdigit() is True and int('²') fails
ARABIC_INDIC = "".join(chr(ord(c) - ord("0") + 0x0660) for c in VALID_PID)
BAD_IDS = [FULLWIDTH, SUPERSCRIPT, ARABIC_INDIC, VALID_PID[:-1] + "a"]
BAD_PHONES = ["09123abc78", "٠٩١٢٣٤٥٦٧٨", "０９１２３４５６７８", "0912345", "123456789012345"]
BAD_NAMES = ["Nguyễn \u202eVăn An", "Nguyễn\u2066 An", "Nguyễn\x00An", "Nguyễn\x1bAn", "Nguyễn\nAn"]


@pytest.mark.parametrize("value", BAD_IDS)
def test_identifiers_take_ascii_digits_only(value):
    with pytest.raises(fields.FieldError, match="12 chữ số"):
        fields.personal_id(value)
    if not value[:9].isascii():
        with pytest.raises(fields.FieldError, match="9 chữ số"):
            fields.old_id(value[:9])
        with pytest.raises(fields.FieldError, match="Mã số thuế"):
            fields.tax_code(value[:10])


def test_what_is_accepted_is_normalised():
    assert fields.personal_id(" 038 087 042 028 ") == "038087042028"
    assert fields.phone("+84 912.345.678") == fields.phone("0912-345-678") == "0912345678"
    assert fields.phone("+84 (0)912 345 678") == fields.phone("0084 912 345 678") == "0912345678"
    assert fields.phone("(024) 3825 5555") == "02438255555"
    assert fields.phone("02373 852 555") == "02373852555"
    with pytest.raises(fields.FieldError):
        fields.phone("02373852555", mobile_only=True)  # an SMS cannot go to a landline
    assert fields.person_name("  Nguyễn   Văn  An ") == "Nguyễn Văn An"
    assert fields.money("1.500.000") == fields.money("1500000") == 1_500_000
    assert fields.text("Dòng 1\nDòng 2", "nội dung", max_length=100, multiline=True) == "Dòng 1\nDòng 2"


@pytest.mark.parametrize("value", [0, -1, 10**15 + 1, 10**30, "10" * 20, "１０００", True, 1.5, "mười nghìn",
                                   "1500000.0", "150.5", "1.5"])
def test_money_is_bounded_and_whole(value):
    with pytest.raises(fields.FieldError, match="số nguyên dương"):
        fields.money(value)


def _refused_in_vietnamese(response, *statuses):
    assert response.status_code in statuses, (response.status_code, response.content[:300])
    assert VIETNAMESE.search(response.content.decode())


# ---- the API ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("applicant", [{"personal_id": v} for v in BAD_IDS] + [{"phone": v} for v in BAD_PHONES]
                         + [{"name": v} for v in BAD_NAMES] + [{"address": "Số 1\u202e đường A"}])
def test_the_api_refuses_bad_applicant_data(world, applicant):
    response = Api(world.token).post("/dossiers", dossier_body(applicant=applicant))
    _refused_in_vietnamese(response, 400, 422)
    assert not Dossier.objects.exists()


@pytest.mark.parametrize("offset", [2**31, 10**19, 10**30])
def test_the_api_bounds_offsets(world, offset):
    response = Api(world.token).get("/dossiers", offset=offset)
    _refused_in_vietnamese(response, 422)


@pytest.mark.parametrize("value", ["0380870420²8", "０３８０８７０４２０２８"])
def test_the_population_look_up_refuses_odd_digits(world, value):
    response = Api(world.token).get(f"/population/{value}")
    _refused_in_vietnamese(response, 400)


def test_an_obligation_beyond_any_amount_is_refused_at_the_api_and_the_service(world):
    from motcua.dossiers import services

    d = world.new_dossier()
    officer = world.user(Role.ONE_STOP_OFFICER)
    services.perform(d, "receive", actor=officer)
    services.perform(d, "forward", actor=officer)
    api = Api(world.token)
    _refused_in_vietnamese(api.act(d.code, "request_payment", {"amount": 10**30}), 422, 403)
    with pytest.raises(services.DossierError, match="số nguyên dương"):
        services.perform(d, "request_payment", actor=world.user(Role.SPECIALIST), data={"amount": 10**30})
    d.refresh_from_db()
    assert d.state != "cho-thanh-toan" and not d.pauses.filter(kind="payment").exists()


# ---- the counter -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("changes", [{"personal_id": v} for v in BAD_IDS] + [{"phone": v} for v in BAD_PHONES[:3]]
                         + [{"applicant_name": v} for v in BAD_NAMES[:2]])
def test_the_counter_refuses_bad_applicant_data(client, world, desk_clock, changes):
    login(client, world, Role.ONE_STOP_OFFICER)
    response = client.post("/mot-cua/tiep-nhan/", counter_data(world, world.case(), op="preview", **changes))
    _refused_in_vietnamese(response, 400)
    assert not Dossier.objects.exists()


@pytest.mark.parametrize("value", [SUPERSCRIPT, FULLWIDTH])
def test_the_counter_look_up_refuses_odd_digits(client, world, desk_clock, value):
    login(client, world, Role.ONE_STOP_OFFICER)
    response = client.post("/mot-cua/tiep-nhan/", {"op": "lookup", "personal_id": value})
    _refused_in_vietnamese(response, 400)


# ---- the citizen's sign-up and feedback ---------------------------------------------------------------------


@pytest.mark.parametrize("changes", [{"personal_id": SUPERSCRIPT}, {"personal_id": FULLWIDTH}, {"phone": BAD_PHONES[1]},
                                     {"full_name": BAD_NAMES[0]}])
def test_sign_up_refuses_odd_digits_and_hidden_characters(client, db, changes):
    data = {"personal_id": VALID_PID, "full_name": "Nguyễn Văn An", "phone": "0912345678",
            "password1": "mot-mat-khau-dai-2026", "password2": "mot-mat-khau-dai-2026"} | changes
    response = client.post("/cong-dan/dang-ky/", data)
    _refused_in_vietnamese(response, 400, 200)
    assert not CitizenAccount.objects.exists()


@pytest.mark.parametrize("contact", [{"phone": BAD_PHONES[0]}, {"phone": BAD_PHONES[1]}, {"name": BAD_NAMES[0]}])
def test_feedback_refuses_bad_contacts_at_the_api(world, contact):
    body = {"kind": "regulation", "text": "Thời hạn giải quyết niêm yết chưa rõ ràng.", "contact": contact}
    response = Api(world.token).post("/phan-anh", body)
    _refused_in_vietnamese(response, 400, 422)
    assert not FeedbackItem.objects.exists()


def test_an_organisation_with_digits_in_its_name_may_send_feedback(world):
    body = {"kind": "regulation", "text": "Thời hạn giải quyết niêm yết chưa rõ ràng.",
            "contact": {"name": "Công ty TNHH 3T", "phone": "02373852555"}}
    response = Api(world.token).post("/phan-anh", body)
    assert response.status_code == 201, response.content
    assert FeedbackItem.objects.get().contact_name == "Công ty TNHH 3T"


# ---- the outbox: an SMS to something that is not a mobile number is never "delivered" ------------------------


@pytest.mark.parametrize("recipient", BAD_PHONES + ["02373852555"])
def test_an_sms_to_a_number_that_is_not_a_mobile_is_given_up(db, recipient):
    outbox.enqueue(channel="sms", recipient=recipient, key=f"k-{recipient}", body="Ho so da co ket qua")
    outbox.deliver_batch()
    message = OutboxMessage.objects.get()
    assert message.status == "dead" and "không hợp lệ" in message.last_error
