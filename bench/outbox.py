"""Outbox delivery benchmarks and the provider-outage drill.

    PYTHONPATH=src .venv/bin/python bench/outbox.py                         # throughput, SMTP and DVCQG
    PYTHONPATH=src .venv/bin/python bench/outbox.py --drill --outage 600    # 10-minute outage drill
    PYTHONPATH=src .venv/bin/python bench/outbox.py --tiny                  # 40 messages each (the tests)
    PYTHONPATH=src .venv/bin/python bench/outbox.py --drill --tiny          # a 3-second outage

Throughput: N messages queued (bulk insert, setup only), then 2 worker threads run the loop the huey
task runs (claim a batch, deliver, mark) until the outbox is empty. SMTP goes to a local aiosmtpd server;
DVCQG to the project's own DVCQG-compatible receiver, served by gunicorn in processes of its own.
Drill: messages keep being queued while the SMTP server refuses everything for --outage seconds, then it
recovers; the drill ends when the outbox is empty and reports lost and duplicated messages.
Exits 1 when a message is lost, delivered twice or not delivered (the drill: lost or not delivered).
"""

import argparse
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import expect, free_port, fresh_database, gunicorn  # noqa: E402


def setup(database="bench-outbox.sqlite3"):
    os.environ["HUEY_IMMEDIATE"] = "1"
    os.environ["MOTCUA_LOCAL_RECEIVERS"] = "1"
    fresh_database(database)
    from motcua.notify import outbox

    outbox._wake_worker = lambda: None  # the worker threads below deliver, not an in-process wake-up


def smtp_server(state):
    from aiosmtpd.controller import Controller

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            if state["down"]:
                return "451 4.3.0 Tạm thời không nhận thư"
            text = envelope.content.decode("utf-8", errors="replace")
            key = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("X-Motcua-Idempotency-Key"))
            with state["lock"]:
                state["received"].append(key)
            return "250 OK"

    port = free_port()  # aiosmtpd checks readiness by connecting, so it needs a real port
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    return controller, port


def run_workers(count=2, until_empty=True, stop=None):
    from django.db import connection

    from motcua.notify import outbox
    from motcua.notify.models import OutboxMessage

    def loop():
        try:
            while True:
                counts = outbox.deliver_batch(limit=50)
                if not any(counts.values()):
                    pending = OutboxMessage.objects.exclude(status__in=["delivered", "dead"]).exists()
                    if (until_empty and not pending) and (stop is None or stop.is_set()):
                        return
                    time.sleep(0.05)
        finally:
            connection.close()

    threads = [threading.Thread(target=loop) for _ in range(count)]
    for t in threads:
        t.start()
    return threads


def queue_emails(n, prefix):
    from motcua.notify.models import OutboxMessage

    OutboxMessage.objects.bulk_create(
        [OutboxMessage(channel="email", recipient="cong.dan@example.vn", idempotency_key=f"{prefix}-{i}",
                       subject="Hồ sơ đã được tiếp nhận", body="Ngày hẹn trả: 26/11/2026") for i in range(n)],
        batch_size=1000,
    )


def bench_smtp(n):
    from django.conf import settings

    state = {"down": False, "received": [], "lock": threading.Lock()}
    controller, port = smtp_server(state)
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    queue_emails(n, "bench")
    began = time.perf_counter()
    for t in run_workers():
        t.join()
    seconds = time.perf_counter() - began
    controller.stop()
    expect(len(state["received"]) == n and len(set(state["received"])) == n,
           f"SMTP received {len(state['received'])} messages ({len(set(state['received']))} distinct) of {n}")
    return n / seconds


def receiver_process():
    """The DVCQG-compatible receiver in processes of its own (gunicorn, 2 workers), as the real portal
    would be: it shares neither the workers' interpreter nor their database connections."""
    return gunicorn(workers=2, env={"MOTCUA_LOCAL_RECEIVERS": "1"}, what="the receiver")


def bench_dvcqg(n, one_per_dossier=False):
    from django.conf import settings

    from motcua import demo
    from motcua.integrations.models import ReceivedDossier, ReceivedProgress
    from motcua.notify.models import OutboxMessage

    settings.MOTCUA_DEMO = True
    demo.seed(dossiers=n // 4, seed_value=1)  # real dossiers with their events (setup)
    OutboxMessage.objects.exclude(channel="dvcqg").delete()
    OutboxMessage.objects.update(status="pending", attempts=0)
    if one_per_dossier:
        # Steady flow: each message is one new event of a dossier the portal already holds (update and
        # one progress row, nothing to merge with).
        from django.db.models import Max
        from django.utils import timezone

        from motcua.dossiers.models import Dossier

        newest = OutboxMessage.objects.filter(channel="dvcqg").values("dossier_id").annotate(last=Max("pk"))
        OutboxMessage.objects.filter(channel="dvcqg").exclude(pk__in=[r["last"] for r in newest]).delete()
        Dossier.objects.update(synced_at=timezone.now())
        seed_receiver = True
    else:
        seed_receiver = False
    server, port = receiver_process()
    settings.MOTCUA_DVCQG_URL = f"http://127.0.0.1:{port}/lien-thong/dvcqg"
    if seed_receiver:  # the portal holds every dossier already
        from motcua.dossiers.models import Dossier
        from motcua.integrations.dvcqg import dossier_payload

        ReceivedDossier.objects.bulk_create([ReceivedDossier(code=d.code, payload=dossier_payload(d)) for d in Dossier.objects.all()])
    total = OutboxMessage.objects.filter(channel="dvcqg").count()
    began = time.perf_counter()
    for t in run_workers():
        t.join()
    seconds = time.perf_counter() - began
    server.terminate()
    server.wait()
    delivered = OutboxMessage.objects.filter(channel="dvcqg", status="delivered").count()
    expect(total and delivered == total, f"DVCQG: {delivered} of {total} sync messages delivered")
    dossiers = ReceivedDossier.objects.count()
    progress = ReceivedProgress.objects.count()
    return total / seconds, total, dossiers, progress, seconds


def drill(outage_seconds, rate, backoff):
    from django.conf import settings

    from motcua.notify.models import OutboxMessage

    settings.MOTCUA_OUTBOX_BACKOFF_SECONDS, settings.MOTCUA_OUTBOX_BACKOFF_MAX_SECONDS = backoff, backoff * 8
    state = {"down": True, "received": [], "lock": threading.Lock()}
    controller, port = smtp_server(state)
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    stop = threading.Event()
    workers = run_workers(stop=stop)
    queued, began = 0, time.monotonic()
    while time.monotonic() - began < outage_seconds:  # citizens keep causing messages during the outage
        queue_emails(rate, f"drill-{queued}")
        queued += rate
        time.sleep(1)
    state["down"] = False
    recovered = time.monotonic()
    stop.set()
    for t in workers:
        t.join()
    drained = time.monotonic() - recovered
    controller.stop()
    received = state["received"]
    stored = dict(OutboxMessage.objects.values_list("idempotency_key", "status"))
    return {
        "queued": queued,
        "delivered": len(set(received)),
        "duplicated": len(received) - len(set(received)),
        "dead": sum(1 for status in stored.values() if status == "dead"),  # given up, kept for staff
        "missing": queued - len(stored),  # not even in the outbox: truly lost
        "drained": drained,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--drill", action="store_true")
    parser.add_argument("--one-per-dossier", action="store_true",
                        help="DVCQG: one message per dossier the portal already holds (the steady flow), "
                             "instead of the backlog of every event")
    parser.add_argument("--outage", type=int, default=60, help="seconds the provider is down (600 for the 10-minute drill)")
    parser.add_argument("--rate", type=int, default=5, help="messages queued per second during the outage")
    parser.add_argument("--backoff", type=int, default=30, help="first retry after this many seconds (doubling, capped at 8x)")
    parser.add_argument("--tiny", action="store_true", help="40 messages each, a 3-second outage (the tests)")
    args = parser.parse_args()
    if args.tiny:
        args.messages, args.outage, args.rate, args.backoff = 40, 3, 5, 1
    setup("bench-tiny-outbox.sqlite3" if args.tiny else "bench-outbox.sqlite3")
    from django.db import connection

    if args.drill:
        r = drill(args.outage, args.rate, args.backoff)
        print(f"drill ({connection.vendor}): SMTP down {args.outage} s, {r['queued']:,} messages queued meanwhile; "
              f"{r['delivered']:,} delivered, {r['duplicated']} duplicated, {r['dead']} given up, {r['missing']} missing; "
              f"outbox empty {r['drained']:.0f} s after recovery (first retry after {args.backoff} s)")
        expect(r["missing"] == 0 and r["delivered"] + r["dead"] == r["queued"] and r["queued"],
               "the drill lost messages or left some undelivered")
        return
    if not args.one_per_dossier:
        print(f"smtp ({connection.vendor}): {bench_smtp(args.messages):,.0f} deliveries/s with 2 workers "
              f"({args.messages:,} messages)", flush=True)
    rate, total, received, progress, seconds = bench_dvcqg(args.messages, args.one_per_dossier)
    kind = "one new event per dossier" if args.one_per_dossier else "backlog of every event"
    print(f"dvcqg ({connection.vendor}, {kind}): {rate:,.0f} deliveries/s with 2 workers ({total:,} sync messages for "
          f"{received} dossiers and {progress:,} progress rows in {seconds:.1f} s)")


if __name__ == "__main__":
    main()
