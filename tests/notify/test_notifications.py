"""Messages to citizens and agencies, queued by the service layer with the move that causes them."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from motcua.dossiers import services
from motcua.notify import outbox
from motcua.notify.models import OutboxMessage, Template
from motcua.org.models import Agency
from motcua.org.roles import Role
from tests.factories import at


def act(world, d, action, when, role, **data):
    services.perform(d, action, actor=world.user(role), data=data, now=at(when))
    d.refresh_from_db()
    return d


def sent(d, channel):
    return list(OutboxMessage.objects.filter(dossier=d, channel=channel).order_by("created_at", "pk"))


@pytest.fixture
def dossier(world):
    return world.new_dossier(
        now=at("2026-11-16 08:55"), applicant=world.applicant(email="an.nguyen@example.vn", phone="0912345678")
    )


def test_reception_tells_the_citizen_the_promised_date_by_sms_and_email(world, dossier):
    act(world, dossier, "receive", "2026-11-16 09:00", Role.ONE_STOP_OFFICER)
    sms = sent(dossier, "sms")[-1]
    assert sms.recipient == "0912345678"
    assert sms.body == (
        f"Ho so {dossier.code} da duoc tiep nhan. Ngay hen tra: 09:00 ngay 26/11/2026. "
        f"Tra cuu: http://127.0.0.1:8000/tra-cuu/?ma={dossier.code}"
    )
    assert sms.idempotency_key == f"dossier:{dossier.pk}:2:sms"
    mail = sent(dossier, "email")[-1]
    assert mail.subject == f"Hồ sơ {dossier.code} đã được tiếp nhận"
    assert "Thời gian hẹn trả kết quả: 09:00 ngày 26/11/2026." in mail.body
    assert [m.payload["event"] for m in sent(dossier, "sms")] == ["submitted", "received"]


def test_a_refused_move_sends_nothing(world, dossier):
    before = OutboxMessage.objects.count()
    with pytest.raises(services.DossierError):
        act(world, dossier, "refuse", "2026-11-16 09:00", Role.ONE_STOP_OFFICER)  # no reason given
    assert OutboxMessage.objects.count() == before


def test_supplement_request_lists_every_item_and_reason(world, dossier):
    items = [{"name": "Tờ khai CT01", "reason": "Chưa có chữ ký của chủ hộ"},
             {"name": "Giấy tờ chứng minh chỗ ở", "reason": "Bản chụp mờ"}]
    act(world, dossier, "request_completion", "2026-11-16 09:00", Role.ONE_STOP_OFFICER, items=items)
    body = sent(dossier, "email")[-1].body
    assert "1. Tờ khai CT01: Chưa có chữ ký của chủ hộ; 2. Giấy tờ chứng minh chỗ ở: Bản chụp mờ" in body
    assert "1. To khai CT01: Chua co chu ky cua chu ho" in sent(dossier, "sms")[-1].body


def test_refusal_apology_payment_and_post_carry_their_details(world, dossier):
    other = world.new_dossier(now=at("2026-11-16 08:56"), applicant=world.applicant(phone="0987654321"))
    act(world, other, "refuse", "2026-11-16 09:00", Role.ONE_STOP_OFFICER, reason="Không thuộc thẩm quyền của phường")
    assert sent(other, "sms")[-1].body.endswith("Ly do: Khong thuoc tham quyen cua phuong")

    act(world, dossier, "receive", "2026-11-16 09:00", Role.ONE_STOP_OFFICER)
    act(world, dossier, "forward", "2026-11-16 10:00", Role.ONE_STOP_OFFICER)
    act(world, dossier, "apologise", "2026-11-20 09:00", Role.HEAD_OF_AGENCY, reason="Chờ xác minh", new_due_at=at("2026-12-01 16:00"))
    assert "Ngày hẹn trả mới: 16:00 ngày 01/12/2026" in sent(dossier, "email")[-1].body
    act(world, dossier, "request_payment", "2026-11-20 10:00", Role.SPECIALIST, amount=250000)
    assert "cần nộp 250.000 đồng" in sent(dossier, "email")[-1].body
    act(world, dossier, "confirm_payment", "2026-11-20 11:00", Role.ONE_STOP_OFFICER)
    act(world, dossier, "forward", "2026-11-20 13:30", Role.SPECIALIST)
    act(world, dossier, "forward", "2026-11-20 14:00", Role.HEAD_OF_AGENCY)
    act(world, dossier, "finish", "2026-11-20 15:00", Role.CLERK)
    act(world, dossier, "return_result", "2026-11-20 16:00", Role.POSTAL_AGENT, method="post", tracking_number="EMS123456789VN")
    events = [m.payload["event"] for m in sent(dossier, "sms")]
    assert events == ["submitted", "received", "apology", "payment_due", "payment_confirmed", "result_ready", "returned_by_post"]
    assert "EMS123456789VN" in sent(dossier, "sms")[-1].body


def test_opt_outs_and_switched_off_templates_are_respected(world):
    d = world.new_dossier(now=at("2026-11-16 08:55"), applicant=world.applicant(email="a@example.vn"), notify=["email"])
    assert sent(d, "sms") == [] and len(sent(d, "email")) == 1
    Template.objects.filter(event="received", channel="email").update(enabled=False)
    act(world, d, "receive", "2026-11-16 09:00", Role.ONE_STOP_OFFICER)
    assert len(sent(d, "email")) == 1
    with pytest.raises(services.DossierError, match="Kênh nhận thông báo"):
        world.new_dossier(now=at("2026-11-16 08:55"), notify=["fax"])


def test_verification_request_is_mailed_to_the_other_agency(world, dossier):
    Agency.objects.filter(pk=world.police.pk).update(email="congan.hacthanh@example.vn")
    act(world, dossier, "receive", "2026-11-16 09:00", Role.ONE_STOP_OFFICER)
    act(world, dossier, "forward", "2026-11-16 10:00", Role.ONE_STOP_OFFICER)
    act(world, dossier, "request_verification", "2026-11-16 11:00", Role.SPECIALIST,
        agency=world.police.identifier_code, question="Xác minh nơi cư trú trước đây.", answer_days=3)
    mail = OutboxMessage.objects.get(recipient="congan.hacthanh@example.vn")
    assert mail.subject == f"Đề nghị xác minh thông tin cho hồ sơ {dossier.code}"
    assert "Xác minh nơi cư trú trước đây." in mail.body and "11:00 ngày 19/11/2026" in mail.body


def test_staff_see_what_was_sent_for_a_dossier(world, dossier, admin_client):
    html = admin_client.get(f"/admin/dossiers/dossier/{dossier.pk}/change/").content.decode()
    assert "0912345678" in html and "Chờ gửi" in html


class Gateway(BaseHTTPRequestHandler):
    """A brandname SMS gateway that is down for its first two requests."""

    received: list = []
    failures = 2

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if Gateway.failures:
            Gateway.failures -= 1
            self.send_response(503)
            self.end_headers()
            return
        Gateway.received.append((self.headers["Idempotency-Key"], body))
        self.send_response(200 if body["phone"] != "000" else 400)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_sms_gateway_gets_plain_parts_of_160_characters_once_it_recovers(db, settings):
    from datetime import timedelta

    from django.utils import timezone

    server = HTTPServer(("127.0.0.1", 0), Gateway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Gateway.received, Gateway.failures = [], 2
    try:
        settings.MOTCUA_SMS_URL = f"http://127.0.0.1:{server.server_port}/sms"
        settings.MOTCUA_SMS_BRANDNAME = "UBND TINH"
        text = "Ho so 001.00.06.H56-261116-0001 can bo sung: " + "giay to chung minh cho o hop phap " * 6
        outbox.enqueue(channel="sms", recipient="0912345678", key="k-long", body=text.strip())
        now = timezone.now()
        results = [outbox.deliver_batch(now=now + timedelta(minutes=m)) for m in range(0, 10)]
        assert sum(r["delivered"] for r in results) == 1
        keys = [k for k, _ in Gateway.received]
        assert keys == ["k-long#1", "k-long#2"]
        parts = [b["message"] for _, b in Gateway.received]
        assert all(len(p) <= 160 for p in parts) and " ".join(parts) == text.strip()
        assert {b["brandname"] for _, b in Gateway.received} == {"UBND TINH"}
        outbox.enqueue(channel="sms", recipient="000", key="k-bad", body="x")
        assert outbox.deliver_batch(now=now + timedelta(hours=1))["dead"] == 1  # a 400 is not retried
    finally:
        server.shutdown()
