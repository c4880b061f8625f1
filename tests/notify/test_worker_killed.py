"""A worker process killed (SIGKILL) in the middle of a batch loses nothing: what it held is delivered
after its lease runs out."""

import json
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from django.db import connection
from django.utils import timezone

from motcua.notify import outbox
from motcua.notify.models import OutboxMessage

ROOT = Path(__file__).resolve().parents[2]

WORKER = """
import os, time, django
django.setup()
from motcua.connectors import registry
from motcua.notify import channels, outbox
class Slow(channels.ConsoleChannel):
    def send(self, message):
        time.sleep(0.05)
        super().send(message)
registry.register(Slow(), replace=True)
print("ready", flush=True)
outbox.deliver_batch(limit=1000)
"""


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def test_killed_worker_loses_nothing(transactional_db, tmp_path, settings, monkeypatch):
    monkeypatch.setattr(outbox, "_wake_worker", lambda: None)  # only the worker process below delivers
    log = tmp_path / "outbox.log"
    settings.MOTCUA_OUTBOX_LOG = str(log)
    keys = [f"k{i}" for i in range(200)]
    for key in keys:
        outbox.enqueue(channel="console", recipient="0912345678", key=key, body="Hồ sơ đã có kết quả")
    env = os.environ | {
        "DATABASE_URL": database_url(), "MOTCUA_OUTBOX_LOG": str(log), "HUEY_IMMEDIATE": "1",
        "DJANGO_SETTINGS_MODULE": "motcua.settings", "PYTHONPATH": str(ROOT / "src"),
    }
    worker = subprocess.Popen([sys.executable, "-c", WORKER], env=env, stdout=subprocess.PIPE, cwd=ROOT)
    assert worker.stdout.readline().strip() == b"ready"
    time.sleep(1.0)  # about 20 of the 200 sent, the rest claimed and held
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    sent_before = {json.loads(line)["key"] for line in log.read_text(encoding="utf-8").splitlines()}
    assert 0 < len(sent_before) < len(keys), "the kill must land mid-batch"
    assert OutboxMessage.objects.filter(status=OutboxMessage.Status.SENDING).exists()

    after_lease = timezone.now() + timedelta(seconds=settings.MOTCUA_OUTBOX_LEASE_SECONDS + 1)
    while outbox.deliver_batch(now=after_lease)["delivered"]:
        pass
    lines = [json.loads(line)["key"] for line in log.read_text(encoding="utf-8").splitlines()]
    assert set(lines) == set(keys)  # nothing lost
    # At most the one message in flight at the kill arrives twice; its key lets the receiver drop it.
    assert len(lines) - len(set(lines)) <= 1
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxMessage.Status.DELIVERED}
