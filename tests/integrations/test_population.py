"""Population look-ups: local data for demos, an HTTP client that retries, then stops calling (circuit
breaker) and lets the officer continue by hand."""

import json
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from motcua.connectors.http import CircuitBreaker
from motcua.integrations.models import ResidentRecord
from motcua.integrations.population import HttpPopulationRegistry, RegistryUnavailable
from motcua.integrations.services import lookup_applicant
from tests.factories import VALID_PID


@pytest.fixture
def resident(db):
    return ResidentRecord.objects.create(
        personal_id=VALID_PID, full_name="Nguyễn Văn An", birth_date=date(1987, 3, 12), sex="nam",
        address="Số 12 đường Lê Lợi, phường Hạc Thành, tỉnh Thanh Hóa",
    )


def test_local_registry_pre_fills_and_says_when_unknown(resident):
    found = lookup_applicant("038 087 042 028")
    assert found.status == "found" and found.person.full_name == "Nguyễn Văn An"
    assert lookup_applicant("038087000001").status == "not_found"


def test_http_client_speaks_the_local_service_protocol(resident, live_server, settings):
    settings.MOTCUA_POPULATION_TOKEN = "t"
    client = HttpPopulationRegistry(f"{live_server.url}/lien-thong/dan-cu/v1", token="t")
    assert client.lookup(VALID_PID).birth_date == date(1987, 3, 12)
    assert client.lookup("038087000001") is None
    with pytest.raises(RegistryUnavailable, match="401"):
        HttpPopulationRegistry(f"{live_server.url}/lien-thong/dan-cu/v1", token="sai").lookup(VALID_PID)


class Flaky(BaseHTTPRequestHandler):
    hits = 0
    failures = 0

    def do_GET(self):
        Flaky.hits += 1
        if Flaky.failures:
            Flaky.failures -= 1
            self.send_response(503)
            self.end_headers()
            return
        body = json.dumps({"personal_id": VALID_PID, "full_name": "Nguyễn Văn An", "birth_date": "1987-03-12",
                           "sex": "nam", "address": "Hạc Thành"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def flaky_server():
    server = HTTPServer(("127.0.0.1", 0), Flaky)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Flaky.hits, Flaky.failures = 0, 0
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_a_passing_failure_is_retried(flaky_server):
    Flaky.failures = 1
    client = HttpPopulationRegistry(flaky_server, attempts=2)
    assert client.lookup(VALID_PID).full_name == "Nguyễn Văn An"
    assert Flaky.hits == 2


def test_circuit_opens_after_repeated_failures_and_closes_after_cooldown(flaky_server, monkeypatch):
    Flaky.failures = 100
    breaker = CircuitBreaker(threshold=2, cooldown=30)
    client = HttpPopulationRegistry(flaky_server, attempts=1, breaker=breaker)
    for _ in range(2):
        with pytest.raises(RegistryUnavailable, match="nhập thông tin"):
            client.lookup(VALID_PID)
    hits = Flaky.hits
    with pytest.raises(RegistryUnavailable):
        client.lookup(VALID_PID)
    assert Flaky.hits == hits  # open: no call at all, an answer at once
    Flaky.failures = 0
    monkeypatch.setattr(breaker, "opened_at", breaker.opened_at - 31)
    assert client.lookup(VALID_PID) is not None and Flaky.hits == hits + 1


def test_counter_continues_by_hand_when_the_service_is_down(world, client, settings, flaky_server):
    Flaky.failures = 100
    settings.MOTCUA_POPULATION_URL = flaky_server
    auth = {"HTTP_AUTHORIZATION": f"Bearer {world.token}"}
    body = client.get(f"/api/v1/population/{VALID_PID}", **auth).json()
    assert body["status"] == "unavailable" and "chưa đối chiếu dữ liệu dân cư" in body["message"]
    assert client.get("/api/v1/population/123", **auth).status_code == 400
    response = client.post(
        "/api/v1/dossiers", {"procedure": "1.004222", "channel": 1, "receiving_agency": world.centre.identifier_code,
                             "applicant": {"name": "Nguyễn Văn An", "personal_id": VALID_PID}, "population_verified": False},
        content_type="application/json", **auth,
    )
    assert response.status_code == 201
    from motcua.dossiers.models import Dossier

    assert Dossier.objects.get(code=response.json()["code"]).population_verified is False
