"""One message a provider answers oddly must not hold up the whole outbox (notify/outbox.py)."""

import http.server
import threading

import pytest

from motcua.notify import outbox
from motcua.notify.models import OutboxMessage

Status = OutboxMessage.Status


@pytest.fixture
def portal(settings):
    """A DVCQG endpoint behind a proxy that answers 200 with the JSON `null` (not an object)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b"null")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.MOTCUA_DVCQG_URL = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()


def test_an_odd_answer_from_one_provider_does_not_stop_the_other_messages(world, portal, settings, tmp_path):
    settings.MOTCUA_OUTBOX_LOG = str(tmp_path / "outbox.log")
    settings.MOTCUA_SMS_URL = ""  # SMS goes to the console log
    d = world.new_dossier()
    outbox.enqueue(channel="dvcqg", recipient="DVCQG", key="review:dvcqg", dossier=d,
                   payload={"dossier_id": d.pk, "after_seq": 0, "code": d.code})
    outbox.enqueue(channel="sms", recipient="0912345678", key="review:sms", body="Ho so da duoc tiep nhan", dossier=d)
    OutboxMessage.objects.exclude(idempotency_key__startswith="review:").delete()

    counts = outbox.deliver_batch()

    sms = OutboxMessage.objects.get(idempotency_key="review:sms")
    sync = OutboxMessage.objects.get(idempotency_key="review:dvcqg")
    assert sms.status == Status.DELIVERED
    assert sync.status in (Status.PENDING, Status.DEAD) and sync.last_error
    assert counts["delivered"] == 1
