"""The transactional outbox: nothing sent for a rolled-back change, retries with backoff, dead letters,
a killed worker's rows retried, and every message delivered exactly once to a real SMTP server that
refuses the first attempts."""

import json
import socket
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from motcua.connectors import DeliveryError, Kind, PermanentDeliveryError, registry
from motcua.notify import channels, outbox
from motcua.notify.models import OutboxMessage

Status = OutboxMessage.Status


@pytest.fixture
def log(tmp_path, settings):
    settings.MOTCUA_OUTBOX_LOG = str(tmp_path / "outbox.log")
    return tmp_path / "outbox.log"


@pytest.fixture(autouse=True)
def no_wake_mark():
    """The wake-up mark lives in huey's storage (in memory in tests), shared by every test of the process:
    each test starts and ends without it."""
    from huey.contrib.djhuey import HUEY

    HUEY.delete(outbox.WAKE_PENDING)
    yield
    HUEY.delete(outbox.WAKE_PENDING)


def lines(path):
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def test_nothing_is_queued_when_the_change_rolls_back(db, log):
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.enqueue(channel="console", recipient="0912345678", key="k-rolled-back", body="Hồ sơ đã được tiếp nhận")
        raise RuntimeError("the state change failed")
    assert not OutboxMessage.objects.exists()


def test_a_key_is_queued_once_and_delivered_with_it(db, log):
    for _ in range(2):
        outbox.enqueue(channel="console", recipient="0912345678", key="dossier-1:event-2:sms", body="Ngày hẹn trả: 26/11/2026")
    assert OutboxMessage.objects.count() == 1
    assert outbox.deliver_batch() == {"delivered": 1, "retry": 0, "dead": 0}
    assert [x["key"] for x in lines(log)] == ["dossier-1:event-2:sms"]
    message = OutboxMessage.objects.get()
    assert message.status == Status.DELIVERED and message.attempts == 1 and message.delivered_at


class Flaky(channels.Channel):
    """A channel that fails `failures` times, then delivers."""

    kind, name, channel = Kind.SMS, "flaky-test", "flaky"

    def __init__(self, failures, permanent=False):
        self.failures, self.permanent, self.sent = failures, permanent, []

    def send(self, message):
        if self.failures:
            self.failures -= 1
            raise (PermanentDeliveryError if self.permanent else DeliveryError)("nhà mạng không phản hồi")
        self.sent.append(message.idempotency_key)


@pytest.fixture
def register():
    """Registers channels for one test only."""
    added = []
    yield lambda plugin: added.append(registry.register(plugin))
    for plugin in added:
        registry.unregister(*plugin.key)


def test_failures_back_off_exponentially_then_deliver(db, register, settings):
    settings.MOTCUA_OUTBOX_BACKOFF_SECONDS = 30
    flaky = Flaky(failures=2)
    register(flaky)
    outbox.enqueue(channel="flaky", recipient="x", key="k")
    t0 = timezone.now()
    assert outbox.deliver_batch(now=t0)["retry"] == 1
    m = OutboxMessage.objects.get()
    assert (m.status, m.attempts, m.next_attempt_at - t0, m.last_error) == (Status.PENDING, 1, timedelta(seconds=30), "nhà mạng không phản hồi")
    assert outbox.deliver_batch(now=t0 + timedelta(seconds=29)) == {"delivered": 0, "retry": 0, "dead": 0}  # not due yet
    t1 = t0 + timedelta(seconds=31)
    assert outbox.deliver_batch(now=t1)["retry"] == 1
    m.refresh_from_db()
    assert m.next_attempt_at - t1 == timedelta(seconds=60)
    assert outbox.deliver_batch(now=t1 + timedelta(seconds=61))["delivered"] == 1
    assert flaky.sent == ["k"]


def test_backoff_is_capped_and_the_horizon_is_long(settings):
    assert outbox.backoff(1) == timedelta(seconds=30)
    assert outbox.backoff(30) == timedelta(hours=6)
    horizon = sum((outbox.backoff(n) for n in range(1, settings.MOTCUA_OUTBOX_MAX_ATTEMPTS)), timedelta())
    assert horizon > timedelta(days=1)


def test_given_up_after_the_configured_attempts_and_sent_again_on_request(db, register, settings):
    settings.MOTCUA_OUTBOX_MAX_ATTEMPTS = 3
    flaky = Flaky(failures=3)
    register(flaky)
    outbox.enqueue(channel="flaky", recipient="x", key="k")
    now = timezone.now()
    results = [outbox.deliver_batch(now=now + timedelta(days=i)) for i in range(4)]
    assert [r["dead"] for r in results] == [0, 0, 1, 0]
    m = OutboxMessage.objects.get()
    assert m.status == Status.DEAD and m.attempts == 3
    assert outbox.retry_now(OutboxMessage.objects.all()) == 1
    assert outbox.deliver_batch()["delivered"] == 1 and flaky.sent == ["k"]


def test_a_refused_address_is_not_retried(db, register):
    register(Flaky(failures=1, permanent=True))
    outbox.enqueue(channel="flaky", recipient="khong-ton-tai@", key="k")
    assert outbox.deliver_batch()["dead"] == 1


def test_rows_left_by_a_killed_worker_are_delivered_after_the_lease(db, log, settings):
    settings.MOTCUA_OUTBOX_LEASE_SECONDS = 300
    for i in range(3):
        outbox.enqueue(channel="console", recipient="x", key=f"k{i}")
    t0 = timezone.now()
    claimed = outbox.claim(10, t0)  # the worker takes them ... and is killed before sending
    assert len(claimed) == 3 and set(OutboxMessage.objects.values_list("status", flat=True)) == {Status.SENDING}
    assert outbox.deliver_batch(now=t0 + timedelta(seconds=299))["delivered"] == 0  # still leased
    assert outbox.deliver_batch(now=t0 + timedelta(seconds=301))["delivered"] == 3
    assert sorted(x["key"] for x in lines(log)) == ["k0", "k1", "k2"]



def test_a_claim_takes_lapsed_leases_then_due_rows_up_to_its_limit_by_plain_range_scans(db, settings):
    """Two range conditions, not one OR: PostgreSQL turned the OR into a bitmap scan that never marks the
    index entries of delivered rows dead, so each claim walked all of them (docs/benchmarks.md, Load)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.MOTCUA_OUTBOX_LEASE_SECONDS = 300
    for i in range(2):
        outbox.enqueue(channel="console", recipient="x", key=f"lapsed{i}")
    t0 = timezone.now()
    assert len(outbox.claim(10, t0)) == 2  # a worker takes these and is killed
    for i in range(3):
        outbox.enqueue(channel="console", recipient="x", key=f"due{i}")
    OutboxMessage.objects.filter(idempotency_key__startswith="due").update(next_attempt_at=t0)
    later = t0 + timedelta(seconds=301)
    with CaptureQueriesContext(connection) as captured:
        first = outbox.claim(4, later)
    assert [m.idempotency_key for m in first] == ["lapsed0", "lapsed1", "due0", "due1"]  # lapsed leases first
    assert [m.idempotency_key for m in outbox.claim(4, later)] == ["due2"]
    assert outbox.claim(4, later) == []
    assert not [q["sql"] for q in captured.captured_queries if " OR " in q["sql"]]

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_every_mail_arrives_exactly_once_from_an_smtp_server_that_refuses_at_first(db, settings):
    from aiosmtpd.controller import Controller

    class RefuseFirst:
        def __init__(self):
            self.refusals, self.received = 4, []

        async def handle_DATA(self, server, session, envelope):
            if self.refusals:
                self.refusals -= 1
                return "451 4.3.0 Tạm thời không nhận thư"
            text = envelope.content.decode("utf-8", errors="replace")
            key = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("X-Motcua-Idempotency-Key"))
            self.received.append(key)
            return "250 OK"

    handler = RefuseFirst()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        keys = [f"dossier-{i}:received:email" for i in range(5)]
        for key in keys:
            outbox.enqueue(channel="email", recipient="cong.dan@example.vn", key=key, subject="Hồ sơ đã được tiếp nhận", body="Ngày hẹn trả: 26/11/2026")
        now = timezone.now()
        for minute in range(0, 60, 1):
            outbox.deliver_batch(now=now + timedelta(minutes=minute))
        assert sorted(handler.received) == sorted(keys)  # all arrived, none twice
        assert set(OutboxMessage.objects.values_list("status", flat=True)) == {Status.DELIVERED}
        assert OutboxMessage.objects.filter(attempts__gt=1).count() == 4
    finally:
        controller.stop()


def test_a_queue_that_is_down_does_not_fail_the_move_and_leaves_no_mark(db, monkeypatch, django_capture_on_commit_callbacks):
    from motcua.notify import outbox, tasks
    from motcua.notify.models import OutboxMessage

    def broker_down():
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(tasks, "deliver_soon", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue(channel="email", recipient="an@vidu.vn", key="wake-test", subject="S", body="B")
    assert OutboxMessage.objects.get(idempotency_key="wake-test").status == OutboxMessage.Status.PENDING
    assert tasks.HUEY.put_if_empty(outbox.WAKE_PENDING, 1)  # no mark left: the next commit would queue a run


def test_a_transaction_that_queues_several_rows_wakes_the_worker_once(db, monkeypatch, django_capture_on_commit_callbacks):
    from motcua.notify import tasks

    wakes = []
    monkeypatch.setattr(tasks, "deliver_soon", lambda: wakes.append(1) or tasks.HUEY.delete(outbox.WAKE_PENDING))
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            outbox.enqueue(channel="sms", recipient="0912345678", key="once-sms", body="Đã tiếp nhận")
            outbox.enqueue(channel="dvcqg", recipient="DVCQG", key="once-sync", payload={"a": 1})
    assert len(wakes) == 1
    assert OutboxMessage.objects.count() == 2


def test_a_wake_dropped_with_a_rolled_back_savepoint_is_asked_for_again(db, monkeypatch, django_capture_on_commit_callbacks):
    """The first row's savepoint rolls back, taking its nudge with it; the row queued after it must still
    wake the worker."""
    from motcua.notify import tasks

    wakes = []
    monkeypatch.setattr(tasks, "deliver_soon", lambda: wakes.append(1) or tasks.HUEY.delete(outbox.WAKE_PENDING))
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            with pytest.raises(RuntimeError), transaction.atomic():
                outbox.enqueue(channel="sms", recipient="0912345678", key="gone", body="Không gửi")
                raise RuntimeError("this part of the change failed")
            outbox.enqueue(channel="sms", recipient="0912345678", key="kept", body="Đã tiếp nhận")
    assert len(wakes) == 1
    assert list(OutboxMessage.objects.values_list("idempotency_key", flat=True)) == ["kept"]


def test_commits_while_a_run_is_queued_do_not_queue_another(transactional_db, log, monkeypatch):
    """Three submissions commit (real commits) while the worker's run waits in the queue: one run, which
    delivers all three rows; a commit after it has started queues the next run."""
    from motcua.notify import tasks

    run = tasks.deliver_soon
    queued = []
    monkeypatch.setattr(tasks, "deliver_soon", lambda: queued.append(1))  # queued, not started yet
    for n in range(3):
        with transaction.atomic():
            outbox.enqueue(channel="console", recipient="0912345678", key=f"queued-{n}", body=f"Tin {n}")
    assert len(queued) == 1
    run.call_local()  # the worker starts the run
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {Status.DELIVERED}
    assert len(lines(log)) == 3
    with transaction.atomic():
        outbox.enqueue(channel="console", recipient="0912345678", key="after-the-run", body="Tin sau")
    assert len(queued) == 2



def test_the_minute_sweep_delivers_and_clears_a_mark_left_by_a_run_that_never_started(transactional_db, log, monkeypatch):
    """A worker killed after taking the run from the queue, before it started, leaves the mark set: commits
    then queue nothing. The sweep delivers their rows and clears the mark, so wake-ups work again."""
    from motcua.notify import tasks

    tasks.HUEY.put_if_empty(outbox.WAKE_PENDING, 1)  # the lost run's mark
    queued = []
    monkeypatch.setattr(tasks, "deliver_soon", lambda: queued.append(1))
    with transaction.atomic():
        outbox.enqueue(channel="console", recipient="0912345678", key="behind-a-lost-run", body="Tin")
    assert queued == []
    monkeypatch.undo()
    tasks.sweep.call_local()
    assert OutboxMessage.objects.get(idempotency_key="behind-a-lost-run").status == Status.DELIVERED
    queued_after = []
    monkeypatch.setattr(tasks, "deliver_soon", lambda: queued_after.append(1))
    with transaction.atomic():
        outbox.enqueue(channel="console", recipient="0912345678", key="after-the-sweep", body="Tin")
    assert queued_after == [1]
