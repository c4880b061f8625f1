"""Feedback cannot be sent in a flood, and feedback codes cannot be guessed through the API.

- Sending (phản ánh, kiến nghị): at most services.PER_ADDRESS.count items an hour from one client
  address, on the portal page and through the API with a signed-in session; through the API with a key,
  per key (the national portal relays every citizen's feedback from one address, so its key has a larger
  allowance). Over the limit: 429, a Vietnamese message that says when to send again, nothing written.
  The officer recording feedback at the desk is not limited.
- Following a code: the failures counted per address on the web page and on GET /api/v1/phan-anh/{code}
  alike; after LOOKUP_LIMIT failures both answer 429, even for a code that exists.
"""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from motcua.feedback import services
from motcua.feedback.models import Feedback, FeedbackEvent
from motcua.org.models import ApiToken
from motcua.org.roles import Role
from tests.factories import at

TEXT = "Bãi gửi xe trước trung tâm thu tiền sai quy định."
LIMIT = services.PER_ADDRESS.count


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        now = at("2026-11-16 08:00")

    monkeypatch.setattr(timezone, "now", lambda: Clock.now)
    return Clock


def written():
    return Feedback.objects.count(), FeedbackEvent.objects.count()


def from_address(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def send_page(browser: Client, n: int, key: str = ""):
    return browser.post("/danh-gia/phan-anh/", {"kind": "other", "text": f"{TEXT} ({n})", "khoa": key or f"k{n}"})


def test_the_portal_page_refuses_more_than_the_limit_from_one_address_and_writes_nothing(world, clock):
    browser = from_address("203.0.113.7")
    for n in range(LIMIT):
        assert send_page(browser, n).status_code == 201
    before = written()
    refused = send_page(browser, LIMIT)
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "phản ánh, kiến nghị gửi từ địa chỉ mạng này" in page and "hãy gửi tiếp sau 60 phút" in page
    assert written() == before
    # Another address is not held back by this one.
    assert send_page(from_address("198.51.100.9"), 0).status_code == 201
    # A form sent again (same one-time key) still finds what it made, limit or not.
    sent = written()
    assert send_page(browser, 0, key="k0").status_code == 201
    assert written() == sent
    # An hour after the first, one more may go.
    clock.now += timedelta(minutes=59)
    assert send_page(browser, LIMIT + 1).status_code == 429
    clock.now += timedelta(minutes=1, seconds=1)
    assert send_page(browser, LIMIT + 2).status_code == 201


def test_an_ipv6_sender_is_counted_per_64_network(world, clock):
    for n in range(LIMIT):
        assert send_page(from_address(f"2001:db8:1:2::{n + 1:x}"), n).status_code == 201
    assert send_page(from_address("2001:db8:1:2::ffff"), LIMIT).status_code == 429


def api_post(client: Client, body: dict, token: str | None = None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post("/api/v1/phan-anh", json.dumps(body), content_type="application/json", **headers)


def test_the_api_counts_per_key_and_answers_429_with_retry_after(world, clock, monkeypatch):
    monkeypatch.setattr(services, "PER_API_KEY", services.SendingLimit(3, timedelta(hours=1), services.PER_API_KEY.source))
    client = Client(REMOTE_ADDR="203.0.113.7")
    for n in range(3):
        assert api_post(client, {"kind": "other", "text": f"{TEXT} ({n})"}, world.token).status_code == 201
    before = written()
    refused = api_post(client, {"kind": "other", "text": f"{TEXT} (3)"}, world.token)
    assert refused.status_code == 429
    body = refused.json()
    assert body["code"] == "rate_limited" and "bằng khóa API này" in body["detail"] and "60 phút" in body["detail"]
    assert refused["Retry-After"] == "3600"
    assert written() == before
    # Another key from the same address is its own sender.
    _, other = ApiToken.issue(world.user(Role.ONE_STOP_OFFICER), "another system")
    assert api_post(client, {"kind": "other", "text": TEXT}, other).status_code == 201


def test_the_api_with_a_session_counts_per_address_with_the_portal_page(world, clock):
    browser = from_address("203.0.113.7")
    for n in range(LIMIT - 1):
        assert send_page(browser, n).status_code == 201
    browser.force_login(world.user(Role.ONE_STOP_OFFICER))
    assert api_post(browser, {"kind": "other", "text": f"{TEXT} (api 1)"}).status_code == 201
    before = written()
    refused = api_post(browser, {"kind": "other", "text": f"{TEXT} (api 2)"})
    assert refused.status_code == 429 and "từ địa chỉ mạng này" in refused.json()["detail"]
    assert written() == before


def test_the_officer_recording_feedback_at_the_desk_is_not_limited(world, clock):
    for n in range(LIMIT + 2):
        services.submit_feedback(kind="other", text=f"{TEXT} ({n})", source=Feedback.Source.COUNTER,
                                 actor=world.user(Role.ONE_STOP_OFFICER))
    assert Feedback.objects.count() == LIMIT + 2


def test_the_api_look_up_shares_the_pages_throttle_on_failed_codes(world, clock):
    known = services.submit_feedback(kind="other", text=TEXT)
    client = Client(REMOTE_ADDR="203.0.113.7")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {world.token}"}
    half = services.LOOKUP_LIMIT // 2
    for n in range(half):
        assert client.get(f"/danh-gia/phan-anh/PAKN-261116-ZZZ{n}/").status_code == 404
    for n in range(services.LOOKUP_LIMIT - half):
        assert client.get(f"/api/v1/phan-anh/PAKN-261116-YYY{n}", **headers).status_code == 404
    refused = client.get(f"/api/v1/phan-anh/{known}", **headers)
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited" and "10 phút" in refused.json()["detail"]
    assert refused["Retry-After"] == "600"
    assert client.get(f"/danh-gia/phan-anh/{known}/").status_code == 429
    # Another address still follows its code, and a known code counts no failure.
    other = Client(REMOTE_ADDR="198.51.100.9")
    for _n in range(services.LOOKUP_LIMIT + 1):
        assert other.get(f"/api/v1/phan-anh/{known}", **headers).status_code == 200
