"""One registry for outside systems: every system registered once, each saying which settings it reads,
whether they are set and whether it is a local stand-in; and the one HTTP helper they all call through
(timeouts, bounded retries, a circuit breaker per host), tried against a real HTTP server on 127.0.0.1."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from motcua.connectors import AlreadyRegistered, DeliveryError, Kind, PermanentDeliveryError, registry
from motcua.connectors import http as connectors_http
from motcua.connectors.errors import CircuitOpen
from motcua.integrations.population import get_registry
from motcua.notify import channels
from motcua.payments import providers

SYSTEMS = {
    ("outbox-log", "console"): True,  # the value: is it the local stand-in
    ("email", "smtp"): False,
    ("sms", "gateway"): False,
    ("zalo", "zns"): False,
    ("dvcqg", "portal"): False,
    ("dvcqg", "local-receiver"): True,
    ("payment", "national"): False,
    ("payment", "sandbox"): True,
    ("population", "national"): False,
    ("population", "local"): True,
}


def test_every_outside_system_is_registered_exactly_once():
    plugins = list(registry)
    assert {p.key: p.is_local_stand_in for p in plugins} == SYSTEMS
    assert len(plugins) == len(SYSTEMS) and len({type(p) for p in plugins}) == len(plugins)
    for plugin in plugins:
        with pytest.raises(AlreadyRegistered):
            registry.register(type(plugin)())
    assert registry.get(*plugins[0].key) is plugins[0]


def test_the_kinds_the_next_connections_need_are_named():
    assert {"signing", "civil-registry", "national-catalogue"} <= {str(k) for k in Kind}


@pytest.mark.parametrize("key", sorted(SYSTEMS))
def test_each_system_declares_its_settings_and_says_whether_it_is_configured(key):
    plugin = registry.get(*key)
    assert plugin.label and plugin.declared_settings
    for setting in plugin.declared_settings:
        assert hasattr(django_settings, setting.name), setting.name
        assert setting.doc.strip() and "\n" not in setting.doc
    assert isinstance(plugin.configured(), bool) and isinstance(plugin.is_local_stand_in, bool)
    row = plugin.status()
    assert (row["kind"], row["name"], row["configured"], row["local_stand_in"]) == (*key, plugin.configured(), SYSTEMS[key])
    assert isinstance(plugin.health().ok, bool)


def test_configured_follows_the_settings_and_secrets_never_show(settings):
    sms = registry.get(Kind.SMS, "gateway")
    settings.MOTCUA_SMS_URL, settings.MOTCUA_SMS_TOKEN = "", "bi-mat-sms"
    assert not sms.configured() and "MOTCUA_SMS_URL" in sms.health().detail and "nhật ký" in sms.health().detail
    settings.MOTCUA_SMS_URL = "https://sms.example.vn/send"
    assert sms.configured() and sms.health().ok
    shown = {s["name"]: s for s in sms.status()["settings"]}
    assert shown["MOTCUA_SMS_TOKEN"] == {**shown["MOTCUA_SMS_TOKEN"], "set": True, "value": None}
    assert "bi-mat-sms" not in json.dumps(registry.status(), default=str)
    settings.MOTCUA_LOCAL_RECEIVERS = False  # a switch that is off is not "set"
    assert not registry.get(Kind.DVCQG, "local-receiver").configured()


def test_a_provider_channel_without_its_settings_writes_to_the_outbox_log(settings):
    settings.MOTCUA_SMS_URL = settings.MOTCUA_ZALO_URL = settings.MOTCUA_DVCQG_URL = settings.EMAIL_HOST = ""
    console = registry.get(Kind.OUTBOX_LOG, "console")
    assert {name: channels.get(name) for name in ("sms", "zalo", "email", "dvcqg")} == dict.fromkeys(
        ("sms", "zalo", "email", "dvcqg"), console)
    settings.MOTCUA_SMS_URL = "https://sms.example.vn/send"
    assert channels.get("sms") is registry.get(Kind.SMS, "gateway")
    with pytest.raises(PermanentDeliveryError):
        channels.get("fax")


def test_payments_and_population_look_their_plugins_up_in_the_registry(settings):
    assert providers.get("national") is registry.get(Kind.PAYMENT, "national")
    assert providers.get("sandbox").is_local_stand_in
    settings.MOTCUA_POPULATION_URL = ""
    assert get_registry() is registry.get(Kind.POPULATION, "local")
    settings.MOTCUA_POPULATION_URL = "http://127.0.0.1:9/dan-cu"
    assert get_registry() is registry.get(Kind.POPULATION, "national")


def test_no_outside_call_bypasses_the_http_helper():
    src = Path(__file__).resolve().parents[2] / "src" / "motcua"
    for app in ("notify", "payments", "integrations"):
        for path in (src / app).rglob("*.py"):
            assert "urllib.request" not in path.read_text(encoding="utf-8"), path


# ---------------------------------------------------------------- the HTTP helper against a real server


class Provider(BaseHTTPRequestHandler):
    """Answers each request with the next scripted (status, body, delay); records what it received."""

    script: list = []
    seen: list = []

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        Provider.seen.append({"path": self.path, "headers": dict(self.headers),
                              "body": self.rfile.read(length) if length else b""})
        status, body, delay = Provider.script.pop(0) if Provider.script else (200, b"{}", 0)
        time.sleep(delay)
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the client gave up (timeout)

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


def serve():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Provider)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def provider(monkeypatch):
    monkeypatch.setattr(connectors_http, "RETRY_PAUSE", 0)
    Provider.script, Provider.seen = [], []
    server = serve()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_json_post_carries_the_idempotency_key_and_the_token(provider):
    Provider.script = [(200, json.dumps({"error_code": "0"}).encode(), 0), (200, b"", 0)]
    assert connectors_http.post_json(f"{provider}/send", {"phone": "0912345678", "text": "Hồ sơ"}, key="k-1",
                                     token="t") == {"error_code": "0"}
    assert connectors_http.post_json(f"{provider}/send", {}, key="k-2") == {}  # an empty answer is {}
    first, second = Provider.seen
    assert first["headers"]["Idempotency-Key"] == "k-1" and first["headers"]["Authorization"] == "Bearer t"
    assert json.loads(first["body"]) == {"phone": "0912345678", "text": "Hồ sơ"}
    assert "Authorization" not in second["headers"]


def test_a_provider_slower_than_the_timeout_is_a_delivery_error(provider, settings):
    settings.MOTCUA_HTTP_TIMEOUT = 0.3
    Provider.script = [(200, b"{}", 2)]
    with pytest.raises(DeliveryError, match="timed out") as caught:
        connectors_http.post_json(f"{provider}/send", {}, key="k")
    assert not isinstance(caught.value, PermanentDeliveryError)


def test_outbox_posts_are_tried_once_and_interactive_calls_retry_a_bounded_number_of_times(provider):
    Provider.script = [(503, b"busy", 0)]
    with pytest.raises(DeliveryError, match="503") as caught:
        connectors_http.post_json(f"{provider}/send", {}, key="k")
    assert caught.value.status == 503 and len(Provider.seen) == 1  # the outbox retries, with its back-off
    Provider.script, Provider.seen = [(503, b"", 0), (429, b"", 0)], []
    assert connectors_http.post_json(f"{provider}/send", {}, key="k", attempts=3) == {} and len(Provider.seen) == 3
    Provider.script, Provider.seen = [(503, b"", 0)] * 5, []
    with pytest.raises(DeliveryError):
        connectors_http.get_json(f"{provider}/persons/1", attempts=3)
    assert len(Provider.seen) == 3


def test_a_refusal_is_permanent_and_never_retried(provider):
    Provider.script = [(400, b'{"message": "sai"}', 0)]
    with pytest.raises(PermanentDeliveryError, match="400") as caught:
        connectors_http.post_json(f"{provider}/send", {}, key="k", attempts=3)
    assert caught.value.status == 400 and len(Provider.seen) == 1
    Provider.script = [(404, b"", 0)]
    assert connectors_http.get_json(f"{provider}/persons/1") is None  # unknown is an answer, not a failure


def test_an_answer_that_is_not_a_json_object_is_a_delivery_error(provider):
    for body in (b"<html>", b"[1, 2]"):
        Provider.script = [(200, body, 0)]
        with pytest.raises(DeliveryError, match="JSON"):
            connectors_http.post_json(f"{provider}/send", {}, key="k")


def test_the_circuit_opens_per_host_after_repeated_failures_and_half_opens_after_the_cooldown(provider, monkeypatch):
    breaker = connectors_http.breaker_for(f"{provider}/persons", threshold=2, cooldown=30)
    assert connectors_http.breaker_for(f"{provider}/other/path") is breaker  # one breaker per host
    Provider.script = [(503, b"", 0)] * 4
    for _ in range(2):
        with pytest.raises(DeliveryError):
            connectors_http.get_json(f"{provider}/persons/1", attempts=2, breaker=breaker)
    assert len(Provider.seen) == 4 and breaker.is_open
    with pytest.raises(CircuitOpen):
        connectors_http.get_json(f"{provider}/persons/1", breaker=breaker)
    assert len(Provider.seen) == 4  # open: no call at all, an answer at once
    other = serve()  # another host is not affected
    try:
        other_url = f"http://127.0.0.1:{other.server_port}"
        assert not connectors_http.breaker_for(other_url).is_open
        assert connectors_http.get_json(f"{other_url}/persons/1", breaker=connectors_http.breaker_for(other_url)) == {}
    finally:
        other.shutdown()
        other.server_close()
    monkeypatch.setattr(breaker, "opened_at", breaker.opened_at - 31)
    assert connectors_http.get_json(f"{provider}/persons/1", breaker=breaker) == {}
    assert not breaker.is_open and breaker.failures == 0
