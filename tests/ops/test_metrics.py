"""/metrics: request counters and latencies by route, and the outbox, DVCQG-sync and overdue backlogs read
from the database; only for loopback clients or with the bearer token."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.notify.models import OutboxMessage
from motcua.org.roles import Role
from tests.factories import at

REPO = Path(__file__).resolve().parents[2]


def received(world, when):
    """A dossier received at `when` (the clock runs from then)."""
    d = world.new_dossier(now=when - timedelta(minutes=5))
    services.perform(d, "receive", actor=world.user(Role.ONE_STOP_OFFICER), data={}, now=when)
    d.refresh_from_db()
    return d


def scrape(client, **kwargs) -> dict:
    response = client.get("/metrics", **kwargs)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for s in family.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return samples


def test_requests_are_counted_by_route_and_status(client, db):
    before = scrape(client).get(("motcua_http_requests_total", (("method", "GET"), ("route", "healthz"),
                                                                 ("status", "200"))), 0)
    client.get("/healthz")
    client.get("/khong-co-trang-nay/")
    samples = scrape(client)
    assert samples[("motcua_http_requests_total",
                    (("method", "GET"), ("route", "healthz"), ("status", "200")))] == before + 1
    assert samples[("motcua_http_requests_total",
                    (("method", "GET"), ("route", "<unmatched>"), ("status", "404")))] >= 1
    assert samples[("motcua_http_request_duration_seconds_count", (("route", "healthz"),))] >= 1


def test_backlog_gauges_read_the_database(client, world):
    late = received(world, at("2026-10-01 09:00"))
    on_time = received(world, timezone.now())
    assert late.due_at < timezone.now() < on_time.due_at
    OutboxMessage.objects.all().delete()
    OutboxMessage.objects.create(channel="sms", recipient="0912345678", idempotency_key="t1",
                                 created_at=timezone.now() - timedelta(hours=2))
    OutboxMessage.objects.create(channel="dvcqg", recipient="DVCQG", idempotency_key="t2", dossier=late)
    OutboxMessage.objects.create(channel="email", recipient="an@vidu.vn", idempotency_key="t3", status="dead")
    OutboxMessage.objects.create(channel="sms", recipient="0912345679", idempotency_key="t4",
                                 status="delivered", created_at=timezone.now() - timedelta(days=3))
    Dossier.objects.filter(pk=on_time.pk).update(sync_state="failed")

    samples = scrape(client)
    assert samples[("motcua_backlog_query_ok", ())] == 1
    assert samples[("motcua_outbox_messages", (("status", "pending"),))] == 2
    assert samples[("motcua_outbox_messages", (("status", "sending"),))] == 0
    assert samples[("motcua_outbox_messages", (("status", "dead"),))] == 1
    assert 7200 <= samples[("motcua_outbox_oldest_pending_age_seconds", ())] < 7200 + 600
    assert samples[("motcua_dvcqg_sync_messages_pending", ())] == 1
    assert samples[("motcua_dvcqg_unsynced_dossiers", (("sync_state", "not_synced"),))] == 1
    assert samples[("motcua_dvcqg_unsynced_dossiers", (("sync_state", "failed"),))] == 1
    assert samples[("motcua_dossiers_overdue", ())] == 1


def test_a_paused_or_finished_dossier_is_not_overdue(client, world):
    late = received(world, at("2026-10-01 09:00"))
    assert scrape(client)[("motcua_dossiers_overdue", ())] == 1
    Dossier.objects.filter(pk=late.pk).update(state="awaiting_supplement")
    assert scrape(client)[("motcua_dossiers_overdue", ())] == 0
    Dossier.objects.filter(pk=late.pk).update(state="returned")
    assert scrape(client)[("motcua_dossiers_overdue", ())] == 0


def test_no_backlog_reads_zero(client, db):
    samples = scrape(client)
    assert samples[("motcua_outbox_oldest_pending_age_seconds", ())] == 0
    assert samples[("motcua_dossiers_overdue", ())] == 0


def test_metrics_refuse_other_machines_without_the_token(client, db):
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 403
    assert b"motcua_" not in response.content


@override_settings(METRICS_TOKEN="s3cret-scrape-token")
def test_metrics_answer_other_machines_with_the_token(client, db):
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.7",
                      headers={"Authorization": "Bearer wrong"}).status_code == 403
    scrape(client, REMOTE_ADDR="203.0.113.7", headers={"Authorization": "Bearer s3cret-scrape-token"})


def test_a_request_relayed_by_a_local_proxy_is_not_trusted_as_loopback(client, db):
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1", headers={"X-Forwarded-For": "203.0.113.7"})
    assert response.status_code == 403


def test_ipv6_loopback_is_accepted(client, db):
    scrape(client, REMOTE_ADDR="::1")


@pytest.mark.parametrize("workers", [2])
def test_several_processes_are_added_up_in_multiprocess_mode(tmp_path, workers):
    """What gunicorn workers do: each process counts its own requests into PROMETHEUS_MULTIPROC_DIR; the
    exposition, from any process, shows the sum."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "PYTHONPATH": str(REPO / "src")}
    record = ("from motcua.ops import metrics; "
              "metrics.observe_request('portal:home', 'GET', 200, 0.03)")
    for _ in range(workers):
        subprocess.run([sys.executable, "-c", record], env=env, check=True, timeout=60)
    show = ("from prometheus_client import generate_latest; from motcua.ops import metrics; "
            "print(generate_latest(metrics.request_registry()).decode())")
    out = subprocess.run([sys.executable, "-c", show], env=env, check=True, timeout=60,
                         capture_output=True, text=True).stdout
    values = {(s.name, tuple(sorted(s.labels.items()))): s.value
              for f in text_string_to_metric_families(out) for s in f.samples}
    assert values[("motcua_http_requests_total",
                   (("method", "GET"), ("route", "portal:home"), ("status", "200")))] == workers
    assert values[("motcua_http_request_duration_seconds_count", (("route", "portal:home"),))] == workers
