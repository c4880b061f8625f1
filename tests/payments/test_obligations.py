"""Online payments of financial obligations: each obligation paid on its own (payments/services.py)."""

import pytest
from django.conf import settings

from motcua.dossiers import services
from motcua.dossiers.models import State
from motcua.org.roles import Role
from motcua.payments import protocol, providers
from motcua.payments import services as payments
from motcua.payments.models import Payment
from tests.factories import at


@pytest.fixture(autouse=True)
def _no_sync(settings, monkeypatch):
    settings.MOTCUA_DVCQG_SYNC = False
    settings.MOTCUA_PAYMENT_URL = "http://127.0.0.1:9/khong-co"  # no platform: nothing leaves the test
    # A "paid" result is confirmed with the platform (CHECK): here the platform's answer is that it was.
    monkeypatch.setattr(providers.NationalPlatform, "check", lambda self, payment: providers.Result(
        status="thanh-cong", bank_code="00", transaction="GD0001", amount=payment.amount))


def _awaiting(world, amount):
    d = world.new_dossier(now=at("2026-11-16 08:55"))
    officer = world.user(Role.ONE_STOP_OFFICER)
    services.perform(d, "receive", actor=officer, now=at("2026-11-16 09:00"))
    services.perform(d, "forward", actor=officer, now=at("2026-11-16 10:00"))
    _request(world, d, amount, "2026-11-17 09:00")
    return d


def _request(world, d, amount, when):
    services.perform(d, "request_payment", actor=world.user(Role.SPECIALIST), now=at(when),
                     data={"amount": amount, "description": f"Khoản {amount}"})
    d.refresh_from_db()
    assert d.state == State.AWAITING_PAYMENT


def _initiated(d, amount, reference):
    """A transaction opened with the platform for what was due then (what payments.start writes)."""
    return Payment.objects.create(
        dossier=d, purpose=Payment.Purpose.OBLIGATION, reference=reference, amount=amount,
        description="Nghĩa vụ tài chính", provider="national", transaction_time="20261117090500",
    )


def _platform_says_paid(payment) -> dict:
    """The result the platform signs and sends back with the citizen."""
    return protocol.signed({
        "MaThamChieu": payment.reference, "SoTien": str(payment.amount), "MaLoi": protocol.SUCCESS_BANK_CODE,
        "MaGiaoDich": "GD0001", "ThoiGianGD": payment.transaction_time,
    }, protocol.RESULT_FIELDS, settings.MOTCUA_PAYMENT_SECRET)


def test_a_second_obligation_of_the_same_amount_can_be_paid_online(world, client):
    d = _awaiting(world, 500_000)
    first = _initiated(d, 500_000, "dvcFIRST")
    assert client.get("/thanh-toan/ket-qua/", _platform_says_paid(first)).status_code == 200
    d.refresh_from_db()
    assert d.state == State.PROCESSING
    # Later a second obligation (another tax) of the same amount is asked for.
    _request(world, d, 500_000, "2026-11-18 09:00")
    # Starting the payment should reach the platform (unreachable here → PaymentError), not be refused
    # with "Khoản này đã được thanh toán".
    with pytest.raises(providers.PaymentError):
        payments.start(d, ip="127.0.0.1", return_url="http://testserver/thanh-toan/ket-qua/")


def test_a_late_payment_of_an_earlier_obligation_does_not_settle_a_new_one(world, client):
    d = _awaiting(world, 100_000)
    old = _initiated(d, 100_000, "dvcOLD")  # the citizen opened the platform's page, the return got lost
    # The citizen shows the bank's message at the counter; the officer confirms by hand.
    services.perform(d, "confirm_payment", actor=world.user(Role.ONE_STOP_OFFICER), now=at("2026-11-17 10:00"),
                     data={"payment_channel": "counter_cash"})
    _request(world, d, 2_000_000, "2026-11-18 09:00")  # a second, larger obligation
    # The platform's result of the old transaction arrives (the citizen's return, or the periodic re-check).
    client.get("/thanh-toan/ket-qua/", _platform_says_paid(old))
    d.refresh_from_db()
    assert d.state == State.AWAITING_PAYMENT, "2.000.000 đồng not paid, yet the dossier resumed"
    assert not d.events.filter(action="confirm_payment", at__gt=at("2026-11-18 09:00")).exists()
