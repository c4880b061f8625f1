"""Zalo OA template messages (ZNS) through a Zalo stand-in: the worker refreshes the OA's
access token itself, spends each single-use refresh token once, and recovers from a rejected token."""

from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.dossiers import services
from motcua.notify import outbox, zalo
from motcua.notify.models import OutboxMessage, Template, ZaloToken
from motcua.org.roles import Role
from tests.factories import at
from tests.notify.zalo_standin import ZaloStandIn


@pytest.fixture
def zalo_oa(world, settings, monkeypatch):
    monkeypatch.setattr(outbox, "_wake_worker", lambda: None)  # the test delivers
    standin = ZaloStandIn(refresh_token="zalo-test-refresh")
    settings.MOTCUA_DVCQG_SYNC = False
    settings.MOTCUA_ZALO_URL = f"{standin.url}/template"
    settings.MOTCUA_ZALO_OAUTH_URL = f"{standin.url}/oauth"
    settings.MOTCUA_ZALO_APP_ID, settings.MOTCUA_ZALO_SECRET_KEY = "4312", "bi-mat"
    settings.MOTCUA_ZALO_REFRESH_TOKEN = "zalo-test-refresh"
    Template.objects.filter(channel="zalo").update(zalo_template_id="250101")
    yield standin
    standin.close()


def citizen_dossier(w):
    return w.new_dossier(now=at("2026-11-16 08:55"), applicant=w.applicant(phone="0912345678"), notify=["zalo"])


def test_the_first_message_refreshes_the_token_and_arrives_with_its_parameters(zalo_oa, world):
    d = citizen_dossier(world)
    services.perform(d, "receive", actor=world.user(Role.ONE_STOP_OFFICER), now=at("2026-11-16 09:00"))
    outbox.deliver_batch()
    assert set(OutboxMessage.objects.filter(channel="zalo").values_list("status", flat=True)) == {"delivered"}
    received = zalo_oa.sent[-1]
    assert received["phone"] == "84912345678" and received["template_id"] == "250101"
    assert received["template_data"]["code"] == d.code
    assert received["template_data"]["due"] == "09:00 ngày 26/11/2026"  # Zalo shows Vietnamese as it is
    row = ZaloToken.objects.get()
    assert row.refresh_token != "zalo-test-refresh"  # the spent one is replaced by the new one
    assert row.refresh_token in zalo_oa.refresh_tokens and row.access_token in zalo_oa.access_tokens
    assert zalo_oa.secret_keys == ["bi-mat"]  # one refresh, with the app's secret key


def test_a_valid_token_is_reused_and_one_near_expiry_is_refreshed(zalo_oa, world):
    first = zalo.access_token()
    assert zalo.access_token() == first
    assert len(zalo_oa.access_tokens) == 1  # no second refresh
    soon = timezone.now() + timedelta(seconds=zalo_oa.lifetime) - zalo.MARGIN + timedelta(minutes=1)
    assert zalo.access_token(now=soon) != first


def test_a_rejected_token_is_refreshed_once_and_the_message_sent(zalo_oa, world):
    d = citizen_dossier(world)
    zalo.access_token()
    zalo_oa.access_tokens.clear()  # Zalo revoked it before its expiry
    outbox.deliver_batch()
    message = OutboxMessage.objects.get(channel="zalo", dossier=d)
    assert message.status == "delivered"
    assert [m["tracking_id"] for m in zalo_oa.sent] == [message.idempotency_key]


def test_a_lost_refresh_token_keeps_messages_waiting_with_a_reason(zalo_oa, world):
    citizen_dossier(world)
    zalo_oa.refresh_tokens.clear()  # three months unused: Zalo no longer knows it
    outbox.deliver_batch()
    message = OutboxMessage.objects.get(channel="zalo")
    assert message.status == "pending" and "Zalo không cấp token mới" in message.last_error
    assert "Invalid refresh token" in ZaloToken.objects.get().last_error
    # The administrator pastes a new refresh token; the next round delivers.
    zalo_oa.refresh_tokens.add("tu-quan-tri")
    ZaloToken.objects.update(refresh_token="tu-quan-tri")
    outbox.deliver_batch(now=timezone.now() + timedelta(minutes=5))
    assert OutboxMessage.objects.get(channel="zalo").status == "delivered"


def test_a_template_without_its_zns_id_is_not_retried_forever(zalo_oa, world):
    Template.objects.filter(channel="zalo").update(zalo_template_id="")
    citizen_dossier(world)
    outbox.deliver_batch()
    message = OutboxMessage.objects.get(channel="zalo")
    assert message.status == "dead" and "mã mẫu ZNS" in message.last_error


def test_phone_numbers_go_in_international_form():
    assert zalo.international("0912 345 678") == "84912345678"
    assert zalo.international("84912345678") == "84912345678"
