"""Synchronisation with the national portal through a DVCQG-compatible receiver that fails for a while:
afterwards every dossier is there once, with its latest status and every progress row once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.integrations import views as receiver
from motcua.integrations.dvcqg import dossier_payload
from motcua.integrations.models import ReceivedDossier, ReceivedProgress
from motcua.notify import outbox
from motcua.notify.models import OutboxMessage
from motcua.org.roles import Role
from tests.factories import at


def test_payload_has_the_national_shape(world):
    d = world.new_dossier(now=at("2026-11-16 08:55"))
    services.perform(d, "receive", actor=world.user(Role.ONE_STOP_OFFICER), now=at("2026-11-16 09:00"))
    d.refresh_from_db()
    p = dossier_payload(d)
    assert (p["MaHoSo"], p["MaTTHC"], p["KenhThucHien"], p["TrangThaiHoSo"]) == (d.code, "1.004222", "1", "2")
    assert (p["NgayNopHoSo"], p["NgayTiepNhan"], p["NgayHenTra"]) == ("20261116085500", "20261116090000", "20261126090000")
    assert p["DinhDanhCHS"] == [{"LoaiDinhDanh": "1", "SoDinhDanh": "038087042028"}]
    assert p["DanhSachLePhi"][0]["Gia"] == "20000" and p["TaiLieuNop"][0]["DuocSoHoa"] in ("0", "1")
    assert all(isinstance(v, str) for k, v in p.items() if not isinstance(v, list))


@pytest.fixture
def failing_receiver(tworld, live_server, settings, monkeypatch):
    monkeypatch.setattr(outbox, "_wake_worker", lambda: None)  # delivery driven by the test below
    settings.MOTCUA_DVCQG_URL = f"{live_server.url}/lien-thong/dvcqg"
    settings.MOTCUA_LOCAL_RECEIVERS = True
    receiver.FAILURES["next"] = 0
    yield receiver.FAILURES
    receiver.FAILURES["next"] = 0


def test_every_dossier_synced_once_after_the_portal_recovers(tworld, failing_receiver):
    w = tworld
    lives = []
    for i in range(3):
        d = w.new_dossier(now=at(f"2026-11-16 08:5{i}"))
        services.perform(d, "receive", actor=w.user(Role.ONE_STOP_OFFICER), now=at("2026-11-16 09:00"))
        services.perform(d, "forward", actor=w.user(Role.ONE_STOP_OFFICER), now=at("2026-11-16 10:00"))
        lives.append(d)
    services.perform(lives[0], "withdraw", actor=w.user(Role.ONE_STOP_OFFICER), data={"reason": "Rút"}, now=at("2026-11-17 09:00"))
    failing_receiver["next"] = 7  # the portal is down for the first seven calls
    now = timezone.now()
    for minute in range(0, 120, 2):
        outbox.deliver_batch(now=now + timedelta(minutes=minute))
    assert set(OutboxMessage.objects.filter(channel="dvcqg").values_list("status", flat=True)) == {"delivered"}
    assert failing_receiver["next"] == 0  # the failures really happened
    for d in lives:
        d.refresh_from_db()
        received = ReceivedDossier.objects.get(code=d.code)
        assert received.payload["TrangThaiHoSo"] == str(d.national_status)
        seqs = sorted(ReceivedProgress.objects.filter(code=d.code).values_list("seq", flat=True))
        assert seqs == list(range(1, d.last_event_seq + 1))  # every event once, none twice
        assert d.sync_state == "synced" and d.synced_at is not None
    assert ReceivedDossier.objects.count() == 3


def test_a_failing_portal_marks_the_dossier_and_keeps_the_message(tworld, failing_receiver):
    d = tworld.new_dossier(now=at("2026-11-16 08:55"))
    failing_receiver["next"] = 100
    outbox.deliver_batch()
    d.refresh_from_db()
    assert d.sync_state == "failed" and "503" in d.sync_error
    assert OutboxMessage.objects.get(channel="dvcqg").status == "pending"
    assert Dossier.objects.filter(sync_state="failed").count() == 1


def test_sync_health_page_for_supervisors_with_retry(world, client, settings):
    settings.MOTCUA_DVCQG_URL = "http://127.0.0.1:9/khong-co"  # nothing listens: every call fails
    d = world.new_dossier(now=at("2026-11-16 08:55"))
    outbox.deliver_batch()
    client.force_login(world.user(Role.SPECIALIST))
    assert client.get("/giam-sat/dong-bo-dvcqg/").status_code == 403
    client.force_login(world.user(Role.SUPERVISOR))
    html = client.get("/giam-sat/dong-bo-dvcqg/").content.decode()
    assert d.code in html and "Không kết nối được nhà cung cấp" in html
    OutboxMessage.objects.filter(channel="dvcqg").update(status="dead")
    html = client.post("/giam-sat/dong-bo-dvcqg/").content.decode()
    assert "Đã đưa 1 thông điệp vào hàng gửi lại." in html
    assert OutboxMessage.objects.get(channel="dvcqg").status == "pending"


def test_repush_command_queues_a_window_once(world):
    from io import StringIO

    from django.core.management import CommandError, call_command

    world.new_dossier(now=at("2026-11-16 08:55"))
    world.new_dossier(now=at("2026-11-18 08:55"))
    out = StringIO()
    call_command("dvcqg_repush", "--from", "16/11/2026", "--to", "17/11/2026", stdout=out)
    assert "Đã đưa 1 hồ sơ" in out.getvalue()
    call_command("dvcqg_repush", "--from", "16/11/2026", "--to", "17/11/2026", stdout=StringIO())
    assert OutboxMessage.objects.filter(idempotency_key__startswith="dvcqg-repush:").count() == 1
    with pytest.raises(CommandError, match="dd/mm/yyyy"):
        call_command("dvcqg_repush", "--from", "2026-11-16", "--to", "17/11/2026")


@pytest.fixture
def receiver_calls(failing_receiver):
    receiver.CALLS.clear()
    return receiver.CALLS


def test_a_burst_of_events_is_one_synchronisation(tworld, receiver_calls):
    d = tworld.new_dossier(now=at("2026-11-16 08:55"))
    officer = tworld.user(Role.ONE_STOP_OFFICER)
    services.perform(d, "receive", actor=officer, now=at("2026-11-16 09:00"))
    services.perform(d, "forward", actor=officer, now=at("2026-11-16 10:00"))
    assert OutboxMessage.objects.filter(channel="dvcqg").count() == 3
    assert outbox.deliver_batch()["delivered"] >= 3
    # One add and one chunk of progress rows carry all three events.
    assert receiver_calls == {"add": 1, "progress": 1}
    assert sorted(ReceivedProgress.objects.filter(code=d.code).values_list("seq", flat=True)) == [1, 2, 3]
    assert set(OutboxMessage.objects.filter(channel="dvcqg").values_list("status", flat=True)) == {"delivered"}


def test_a_dossier_the_portal_holds_is_updated_without_trying_add(tworld, receiver_calls):
    d = tworld.new_dossier(now=at("2026-11-16 08:55"))
    outbox.deliver_batch()
    services.perform(d, "receive", actor=tworld.user(Role.ONE_STOP_OFFICER), now=at("2026-11-16 09:00"))
    outbox.deliver_batch()
    assert receiver_calls == {"add": 1, "update": 1, "progress": 2}
    received = ReceivedDossier.objects.get(code=d.code)
    assert received.payload["TrangThaiHoSo"] == "2" and received.updates == 1


def test_an_update_the_portal_cannot_place_is_sent_as_add(tworld, receiver_calls):
    d = tworld.new_dossier(now=at("2026-11-16 08:55"))
    outbox.deliver_batch()
    ReceivedDossier.objects.all().delete()  # the portal lost it
    services.perform(d, "receive", actor=tworld.user(Role.ONE_STOP_OFFICER), now=at("2026-11-16 09:00"))
    outbox.deliver_batch()
    assert receiver_calls == {"add": 2, "update": 1, "progress": 2}
    assert ReceivedDossier.objects.get(code=d.code).payload["TrangThaiHoSo"] == "2"
    d.refresh_from_db()
    assert d.sync_state == "synced"
